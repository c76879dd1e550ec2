// tickets.js: ticket fixtures shared by the ticket, blacklist and customer tests.
let next = Math.floor(Math.random() * 1e6);

// A phone no other test uses (fraud rules count tickets per phone), in E.164.
export function uniquePhone() {
  next += 1;
  return `+38050${String(next % 1e7).padStart(7, '0')}`;
}

export function newTicket(over = {}) {
  return {
    customerName: 'Olena Petrenko', customerPhone: uniquePhone(), deviceType: 'Washing machine',
    problem: 'Does not drain', address: `Kyiv, Khreshchatyk ${next}`, ...over,
  };
}

// A ticket as every reader sees it: allowedTransitions depends on who asks, and events and the
// customer lookup carry none.
export function withoutMoves(ticket) {
  const { allowedTransitions, ...rest } = ticket;
  return rest;
}

// Create a ticket (as a staff client) and return it; throws when the API refuses.
export async function createTicket(client, over = {}) {
  const r = await client.post('/api/tickets', newTicket(over));
  if (r.status !== 201) throw new Error(`create ticket: ${r.status} ${r.text}`);
  return r.body.ticket;
}

// Create a master user through the admin API; returns { user, client } signed in as them.
export async function newMaster(admin, Client, over = {}) {
  const body = {
    username: `m${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`, password: 'master-pass-1',
    fullName: 'Second Master', role: 'master', ...over,
  };
  const r = await admin.post('/api/users', body);
  if (r.status !== 201) throw new Error(`create master: ${r.status} ${r.text}`);
  const client = new Client(admin.base);
  await client.login(body.username, body.password);
  return { user: r.body.user, client };
}
