// i18n: English and Russian strings, the chosen locale (persisted in localStorage), and t()
// with {name} placeholders. A key missing from a dictionary falls back to English, then to
// the key itself (screens use that to show unknown server values as they are).

const en = {
  'common.loading': 'Loading…', 'common.save': 'Save', 'common.saving': 'Saving…', 'common.cancel': 'Cancel',
  'common.edit': 'Edit', 'common.close': 'Close', 'common.clear': 'Clear filters', 'common.retry': 'Retry',
  'common.more': 'Load more', 'common.all': 'All', 'common.actions': 'Actions', 'common.refresh': 'Refresh',
  'common.language': 'Language', 'common.skip': 'Skip to content', 'common.seconds': '{n} s',

  'nav.main': 'Main', 'nav.tickets': 'Tickets', 'nav.calls': 'Calls', 'nav.my': 'My tickets', 'nav.users': 'Users',
  'nav.blacklist': 'Blacklist', 'nav.integrations': 'Integrations', 'nav.signOut': 'Sign out', 'nav.dashboard': 'Dashboard',
  'dash.window': 'Period', 'dash.from': 'From', 'dash.to': 'To', 'dash.windowIs': '{from} – {to} UTC ({tz} days)',
  'dash.calls': 'Calls', 'dash.inOut': '{in} in · {out} out', 'dash.answered': 'Answered', 'dash.missed': 'Missed',
  'dash.missedOpen': '{n} not called back', 'dash.avgWait': 'Average wait', 'dash.avgTalk': 'Average talk',
  'dash.ticketsCreated': 'Tickets created', 'dash.fromCalls': '{n} from calls', 'dash.completed': 'Completed',
  'dash.cancelled': 'Cancelled', 'dash.revenue': 'Revenue', 'dash.conversion': 'Calls → tickets',
  'dash.byHour': 'Calls by hour', 'dash.hour': 'Hour', 'dash.day': 'Day', 'dash.byDay': 'Calls and tickets by day', 'dash.byStatus': 'Tickets of the period by status',
  'dash.masters': 'Masters', 'dash.open': 'Open now', 'dash.avgCompletion': 'Average completion',
  'dash.operators': 'Operators', 'dash.operator': 'Operator', 'dash.callsHandled': 'Calls answered',
  'role.admin': 'Admin', 'role.operator': 'Operator', 'role.master': 'Master',
  'live.on': 'Live', 'live.off': 'Live updates off', 'live.onHint': 'Lists update as changes happen',
  'live.offHint': 'Reconnecting; lists may be out of date until then',

  'login.title': 'Sign in to Brando CRM', 'login.subtitle': 'Call center and field service',
  'login.username': 'Username', 'login.password': 'Password', 'login.submit': 'Sign in', 'login.signingIn': 'Signing in…',
  'login.needUsername': 'Enter your username', 'login.needPassword': 'Enter your password',
  'login.invalid': 'Wrong username or password', 'login.throttled': 'Too many failed attempts. Try again in {wait}.',

  'err.generic': 'Something went wrong', 'err.network': 'No connection to the server', 'err.server': 'The server is unavailable, try again shortly',
  'err.forbidden': 'This page is not available for your role.', 'err.integration_disabled': 'Telephony (Zadarma) is not configured',
  'err.rate_limited': 'Too many requests, wait {s} s',

  'status.new': 'New', 'status.assigned': 'Assigned', 'status.accepted': 'Accepted', 'status.in_progress': 'In progress',
  'status.completed': 'Completed', 'status.cancelled': 'Cancelled',
  'priority.low': 'Low', 'priority.normal': 'Normal', 'priority.high': 'High', 'priority.urgent': 'Urgent',
  'source.call': 'Phone call', 'source.web': 'Website', 'source.manual': 'Manual',

  'tickets.title': 'Tickets', 'tickets.new': 'New ticket', 'tickets.search': 'Search tickets',
  'tickets.searchHint': 'Search number, name, phone, address, device…', 'tickets.status': 'Status',
  'tickets.master': 'Master', 'tickets.allMasters': 'All masters', 'tickets.from': 'Created from', 'tickets.to': 'Created until', 'tickets.created': 'Created',
  'tickets.fraudOnly': 'Fraud flags only', 'tickets.none': 'No tickets yet.', 'tickets.noneFiltered': 'No tickets match these filters.',

  'ticket.number': 'Number', 'ticket.status': 'Status', 'ticket.customer': 'Customer', 'ticket.phone': 'Phone',
  'ticket.device': 'Device', 'ticket.master': 'Master', 'ticket.masterId': 'Master', 'ticket.masterName': 'Master',
  'ticket.created': 'Created', 'ticket.customerName': 'Customer name', 'ticket.customerPhone': 'Phone',
  'ticket.customerEmail': 'Email', 'ticket.address': 'Address', 'ticket.city': 'City', 'ticket.deviceType': 'Device type',
  'ticket.deviceBrand': 'Brand', 'ticket.deviceModel': 'Model', 'ticket.serialNumber': 'Serial number',
  'ticket.problem': 'Problem', 'ticket.notes': 'Notes', 'ticket.priority': 'Priority', 'ticket.scheduledAt': 'Scheduled',
  'ticket.priceEstimate': 'Price estimate', 'ticket.finalAmount': 'Final amount', 'ticket.source': 'Source',
  'ticket.completedAt': 'Completed', 'ticket.paymentStatus': 'Payment', 'ticket.fraudFlags': 'Fraud flags', 'ticket.fraudScore': 'Fraud score',

  'form.newTitle': 'New ticket', 'form.editTitle': 'Edit {n}', 'form.customer': 'Customer', 'form.device': 'Device',
  'form.job': 'Job', 'form.create': 'Create ticket', 'form.required': 'Required', 'form.money': 'Enter an amount like 1250.00',
  'form.fix': 'Please correct the highlighted field.',

  'conflict.title': 'Someone else changed this ticket.',
  'conflict.formBody': 'The form now shows the newer version (saved {at}).', 'conflict.yours': 'Your changes',
  'conflict.reapply': 'Re-apply my changes',
  'conflict.detail': 'This ticket was changed meanwhile; showing the newer version (saved {at}). Your action was not applied.',

  'action.group': 'Ticket actions', 'action.accept': 'Accept', 'action.decline': 'Decline', 'action.start': 'Start work',
  'action.complete': 'Complete', 'action.cancel': 'Cancel ticket', 'action.assign': 'Assign',
  'action.confirmCancel': 'Cancel ticket {n}?',
  'complete.title': 'Complete {n}', 'complete.amount': 'Final amount', 'complete.note': 'Note (work done, parts)',
  'complete.submit': 'Complete ticket',

  'dispatch.title': 'Dispatch', 'dispatch.pick': 'Pick a master', 'dispatch.open': 'Open tickets',
  'dispatch.openN': '{n} open', 'dispatch.assign': 'Assign master', 'dispatch.reassign': 'Reassign',
  'dispatch.noMasters': 'No active masters.', 'dispatch.done': 'Assigned to {name}',

  'history.title': 'History', 'history.none': 'No history yet.', 'history.created': 'Created', 'history.updated': 'Edited',
  'history.status': 'Status changed', 'history.assigned': 'Assigned', 'history.completed': 'Completed',

  'fraud.badge': 'Fraud', 'fraud.reasons': 'Fraud flags', 'fraud.score': 'fraud score',
  'fraud.blacklisted': 'Phone is on the blacklist', 'fraud.repeated_cancellations': 'Repeatedly cancelled before',
  'fraud.duplicate_open_ticket': 'Open ticket for the same phone and address', 'fraud.frequent_tickets': 'Many tickets in 24 hours',

  'calls.title': 'Calls', 'calls.missedQueue': 'Missed — not called back', 'calls.noMissed': 'No missed calls waiting.',
  'calls.callBack': 'Call back', 'calls.calling': 'Calling…', 'calls.dialing': 'Calling {phone}: your phone rings first',
  'calls.callTo': 'Call {phone}', 'calls.direction': 'Direction', 'calls.in': 'Incoming', 'calls.out': 'Outgoing',
  'calls.status': 'Status', 'calls.phone': 'Phone number', 'calls.time': 'Time', 'calls.number': 'Number',
  'calls.operator': 'Operator', 'calls.wait': 'Wait', 'calls.talk': 'Talk', 'calls.ticket': 'Ticket', 'calls.none': 'No calls.',
  'calls.waited': 'waited {d}',
  'call.ringing': 'Ringing', 'call.answered': 'Answered', 'call.missed': 'Missed', 'call.completed': 'Completed', 'call.busy': 'Busy', 'call.failed': 'Failed',

  'pop.incoming': 'Incoming call', 'pop.newCaller': 'New caller', 'pop.blacklisted': 'This number is on the blacklist',
  'pop.newTicket': 'New ticket', 'pop.tickets': 'Earlier tickets ({n})', 'pop.calls': 'Earlier calls ({n})',
  'pop.noTickets': 'No earlier tickets.', 'pop.noCalls': 'No earlier calls.', 'pop.more': '{n} more calling',

  'master.title': 'My tickets', 'master.none': 'No open tickets. Well done!', 'master.doneToday': 'Done today ({n})',
  'master.callCustomer': 'Call the customer at {phone}',

  'user.username': 'Username', 'user.fullName': 'Full name', 'user.role': 'Role', 'user.password': 'Password',
  'user.masterCode': 'Master code', 'user.phone': 'Phone', 'user.sipExtension': 'SIP extension',
  'user.telegramChatId': 'Telegram chat', 'user.active': 'Active', 'user.inactive': 'inactive', 'user.lastLogin': 'Last sign-in',
  'user.new': 'New user', 'user.edit': 'Edit {name}', 'user.create': 'Create user', 'user.deactivate': 'Deactivate',
  'user.confirmDeactivate': 'Deactivate {name}? They are signed out and cannot sign in again.',
  'user.deactivated': '{name} deactivated', 'user.saved': '{name} saved',
  'user.passwordHint': 'Leave empty to keep; a new one ends their sessions', 'user.passwordRule': 'At least 8 characters',

  'blacklist.phone': 'Phone', 'blacklist.reason': 'Reason', 'blacklist.added': 'Added', 'blacklist.add': 'Add to blacklist',
  'blacklist.remove': 'Remove', 'blacklist.none': 'The blacklist is empty.', 'blacklist.confirmRemove': 'Remove {phone} from the blacklist?',

  'integrations.on': 'Configured', 'integrations.off': 'Not configured', 'integrations.sip': 'SIP: {sip}',
  'integrations.zadarmaWhat': 'Telephony: incoming calls, click-to-call, web phone',
  'integrations.telegramWhat': 'Notifies masters of new tickets', 'integrations.twilioWhat': 'SMS to customers',
  'integrations.country': 'Default country code', 'integrations.version': 'Version',
  'integrations.hint': 'Integrations are set in the server environment (brando.env); see docs/operations.md.',

  // API errors (lib/apierrors.ts): English shows the server's own message.
  'api.field.invalid': '{message}', 'api.field.taken': '{message}', 'api.invalid': '{message}',
  'api.transition': '{message}', 'api.conflict': '{message}', 'api.not_found': '{message}',
  'api.forbidden': '{message}', 'api.upstream': '{message}', 'api.rejected': '{message}', 'api.too_large': '{message}',
};

export type Key = keyof typeof en;
export type Vars = Record<string, string | number>;

const ru: Record<Key, string> = {
  'common.loading': 'Загрузка…', 'common.save': 'Сохранить', 'common.saving': 'Сохранение…', 'common.cancel': 'Отмена',
  'common.edit': 'Изменить', 'common.close': 'Закрыть', 'common.clear': 'Сбросить фильтры', 'common.retry': 'Повторить',
  'common.more': 'Показать ещё', 'common.all': 'Все', 'common.actions': 'Действия', 'common.refresh': 'Обновить',
  'common.language': 'Язык', 'common.skip': 'К содержимому', 'common.seconds': '{n} с',

  'nav.main': 'Главное меню', 'nav.tickets': 'Заявки', 'nav.calls': 'Звонки', 'nav.my': 'Мои заявки', 'nav.users': 'Пользователи',
  'nav.blacklist': 'Чёрный список', 'nav.integrations': 'Интеграции', 'nav.signOut': 'Выйти', 'nav.dashboard': 'Сводка',
  'dash.window': 'Период', 'dash.from': 'С', 'dash.to': 'По', 'dash.windowIs': '{from} – {to} UTC (дни по {tz})',
  'dash.calls': 'Звонки', 'dash.inOut': '{in} входящих · {out} исходящих', 'dash.answered': 'Отвечено', 'dash.missed': 'Пропущено',
  'dash.missedOpen': '{n} без перезвона', 'dash.avgWait': 'Среднее ожидание', 'dash.avgTalk': 'Средний разговор',
  'dash.ticketsCreated': 'Создано заявок', 'dash.fromCalls': '{n} из звонков', 'dash.completed': 'Выполнено',
  'dash.cancelled': 'Отменено', 'dash.revenue': 'Выручка', 'dash.conversion': 'Звонки → заявки',
  'dash.byHour': 'Звонки по часам', 'dash.hour': 'Час', 'dash.day': 'День', 'dash.byDay': 'Звонки и заявки по дням', 'dash.byStatus': 'Заявки периода по статусам',
  'dash.masters': 'Мастера', 'dash.open': 'Открыто сейчас', 'dash.avgCompletion': 'Среднее выполнение',
  'dash.operators': 'Операторы', 'dash.operator': 'Оператор', 'dash.callsHandled': 'Принято звонков',
  'role.admin': 'Администратор', 'role.operator': 'Оператор', 'role.master': 'Мастер',
  'live.on': 'Онлайн', 'live.off': 'Обновления отключены', 'live.onHint': 'Списки обновляются сразу',
  'live.offHint': 'Переподключение; до него списки могут устареть',

  'login.title': 'Вход в Brando CRM', 'login.subtitle': 'Колл-центр и выездной сервис',
  'login.username': 'Имя пользователя', 'login.password': 'Пароль', 'login.submit': 'Войти', 'login.signingIn': 'Вход…',
  'login.needUsername': 'Введите имя пользователя', 'login.needPassword': 'Введите пароль',
  'login.invalid': 'Неверное имя пользователя или пароль', 'login.throttled': 'Слишком много неудачных попыток. Повторите через {wait}.',

  'err.generic': 'Что-то пошло не так', 'err.network': 'Нет связи с сервером', 'err.server': 'Сервер недоступен, повторите чуть позже',
  'err.forbidden': 'Эта страница недоступна для вашей роли.', 'err.integration_disabled': 'Телефония (Zadarma) не настроена',
  'err.rate_limited': 'Слишком много запросов, подождите {s} с',

  'status.new': 'Новая', 'status.assigned': 'Назначена', 'status.accepted': 'Принята', 'status.in_progress': 'В работе',
  'status.completed': 'Выполнена', 'status.cancelled': 'Отменена',
  'priority.low': 'Низкий', 'priority.normal': 'Обычный', 'priority.high': 'Высокий', 'priority.urgent': 'Срочно',
  'source.call': 'Звонок', 'source.web': 'Сайт', 'source.manual': 'Вручную',

  'tickets.title': 'Заявки', 'tickets.new': 'Новая заявка', 'tickets.search': 'Поиск заявок',
  'tickets.searchHint': 'Номер, имя, телефон, адрес, устройство…', 'tickets.status': 'Статус',
  'tickets.master': 'Мастер', 'tickets.allMasters': 'Все мастера', 'tickets.from': 'Создана с', 'tickets.to': 'Создана по', 'tickets.created': 'Создана',
  'tickets.fraudOnly': 'Только с признаками мошенничества', 'tickets.none': 'Заявок пока нет.', 'tickets.noneFiltered': 'Нет заявок по этим фильтрам.',

  'ticket.number': 'Номер', 'ticket.status': 'Статус', 'ticket.customer': 'Клиент', 'ticket.phone': 'Телефон',
  'ticket.device': 'Устройство', 'ticket.master': 'Мастер', 'ticket.masterId': 'Мастер', 'ticket.masterName': 'Мастер',
  'ticket.created': 'Создана', 'ticket.customerName': 'Имя клиента', 'ticket.customerPhone': 'Телефон',
  'ticket.customerEmail': 'Эл. почта', 'ticket.address': 'Адрес', 'ticket.city': 'Город', 'ticket.deviceType': 'Тип устройства',
  'ticket.deviceBrand': 'Марка', 'ticket.deviceModel': 'Модель', 'ticket.serialNumber': 'Серийный номер',
  'ticket.problem': 'Неисправность', 'ticket.notes': 'Примечания', 'ticket.priority': 'Приоритет', 'ticket.scheduledAt': 'Визит',
  'ticket.priceEstimate': 'Оценка стоимости', 'ticket.finalAmount': 'Итоговая сумма', 'ticket.source': 'Источник',
  'ticket.completedAt': 'Выполнена', 'ticket.paymentStatus': 'Оплата', 'ticket.fraudFlags': 'Признаки мошенничества', 'ticket.fraudScore': 'Оценка риска',

  'form.newTitle': 'Новая заявка', 'form.editTitle': 'Заявка {n}', 'form.customer': 'Клиент', 'form.device': 'Устройство',
  'form.job': 'Работа', 'form.create': 'Создать заявку', 'form.required': 'Обязательное поле', 'form.money': 'Введите сумму, например 1250.00',
  'form.fix': 'Исправьте выделенное поле.',

  'conflict.title': 'Заявку изменил кто-то другой.',
  'conflict.formBody': 'Форма показывает новую версию (сохранена {at}).', 'conflict.yours': 'Ваши изменения',
  'conflict.reapply': 'Применить мои изменения снова',
  'conflict.detail': 'Заявка была изменена; показана новая версия (сохранена {at}). Ваше действие не применено.',

  'action.group': 'Действия с заявкой', 'action.accept': 'Принять', 'action.decline': 'Отказаться', 'action.start': 'Начать работу',
  'action.complete': 'Завершить', 'action.cancel': 'Отменить заявку', 'action.assign': 'Назначить',
  'action.confirmCancel': 'Отменить заявку {n}?',
  'complete.title': 'Завершение {n}', 'complete.amount': 'Итоговая сумма', 'complete.note': 'Комментарий (работы, детали)',
  'complete.submit': 'Завершить заявку',

  'dispatch.title': 'Назначение', 'dispatch.pick': 'Выберите мастера', 'dispatch.open': 'Открытые заявки',
  'dispatch.openN': 'открыто: {n}', 'dispatch.assign': 'Назначить мастера', 'dispatch.reassign': 'Переназначить',
  'dispatch.noMasters': 'Нет активных мастеров.', 'dispatch.done': 'Назначено: {name}',

  'history.title': 'История', 'history.none': 'Истории пока нет.', 'history.created': 'Создана', 'history.updated': 'Изменена',
  'history.status': 'Смена статуса', 'history.assigned': 'Назначена', 'history.completed': 'Выполнена',

  'fraud.badge': 'Риск', 'fraud.reasons': 'Признаки мошенничества', 'fraud.score': 'оценка риска',
  'fraud.blacklisted': 'Номер в чёрном списке', 'fraud.repeated_cancellations': 'Заявки уже не раз отменялись',
  'fraud.duplicate_open_ticket': 'Есть открытая заявка с тем же номером и адресом', 'fraud.frequent_tickets': 'Много заявок за сутки',

  'calls.title': 'Звонки', 'calls.missedQueue': 'Пропущенные — не перезвонили', 'calls.noMissed': 'Пропущенных звонков нет.',
  'calls.callBack': 'Перезвонить', 'calls.calling': 'Вызов…', 'calls.dialing': 'Звонок на {phone}: сначала зазвонит ваш телефон',
  'calls.callTo': 'Позвонить {phone}', 'calls.direction': 'Направление', 'calls.in': 'Входящий', 'calls.out': 'Исходящий',
  'calls.status': 'Статус', 'calls.phone': 'Номер телефона', 'calls.time': 'Время', 'calls.number': 'Номер',
  'calls.operator': 'Оператор', 'calls.wait': 'Ожидание', 'calls.talk': 'Разговор', 'calls.ticket': 'Заявка', 'calls.none': 'Звонков нет.',
  'calls.waited': 'ждал {d}',
  'call.ringing': 'Звонит', 'call.answered': 'Отвечен', 'call.missed': 'Пропущен', 'call.completed': 'Завершён', 'call.busy': 'Занято', 'call.failed': 'Ошибка',

  'pop.incoming': 'Входящий звонок', 'pop.newCaller': 'Новый клиент', 'pop.blacklisted': 'Номер в чёрном списке',
  'pop.newTicket': 'Новая заявка', 'pop.tickets': 'Прежние заявки ({n})', 'pop.calls': 'Прежние звонки ({n})',
  'pop.noTickets': 'Прежних заявок нет.', 'pop.noCalls': 'Прежних звонков нет.', 'pop.more': 'Ещё звонят: {n}',

  'master.title': 'Мои заявки', 'master.none': 'Открытых заявок нет. Отлично!', 'master.doneToday': 'Выполнено сегодня ({n})',
  'master.callCustomer': 'Позвонить клиенту {phone}',

  'user.username': 'Имя пользователя', 'user.fullName': 'ФИО', 'user.role': 'Роль', 'user.password': 'Пароль',
  'user.masterCode': 'Код мастера', 'user.phone': 'Телефон', 'user.sipExtension': 'SIP-номер',
  'user.telegramChatId': 'Чат Telegram', 'user.active': 'Активен', 'user.inactive': 'неактивен', 'user.lastLogin': 'Последний вход',
  'user.new': 'Новый пользователь', 'user.edit': 'Изменить {name}', 'user.create': 'Создать', 'user.deactivate': 'Отключить',
  'user.confirmDeactivate': 'Отключить {name}? Пользователь выйдет из системы и не сможет войти.',
  'user.deactivated': '{name} отключён', 'user.saved': '{name} сохранён',
  'user.passwordHint': 'Оставьте пустым, чтобы не менять; новый пароль завершит сеансы', 'user.passwordRule': 'Не менее 8 символов',

  'blacklist.phone': 'Телефон', 'blacklist.reason': 'Причина', 'blacklist.added': 'Добавлен', 'blacklist.add': 'Добавить в чёрный список',
  'blacklist.remove': 'Удалить', 'blacklist.none': 'Чёрный список пуст.', 'blacklist.confirmRemove': 'Удалить {phone} из чёрного списка?',

  'integrations.on': 'Настроено', 'integrations.off': 'Не настроено', 'integrations.sip': 'SIP: {sip}',
  'integrations.zadarmaWhat': 'Телефония: входящие, звонок в один клик, веб-телефон',
  'integrations.telegramWhat': 'Уведомляет мастеров о новых заявках', 'integrations.twilioWhat': 'SMS клиентам',
  'integrations.country': 'Код страны по умолчанию', 'integrations.version': 'Версия',
  'integrations.hint': 'Интеграции задаются в окружении сервера (brando.env); см. docs/operations.md.',

  'api.field.invalid': 'Недопустимое значение', 'api.field.taken': 'Такое значение уже используется',
  'api.invalid': 'Проверьте введённые данные', 'api.transition': 'Такой переход статуса невозможен',
  'api.conflict': 'Данные уже изменились; обновите и повторите', 'api.not_found': 'Не найдено',
  'api.forbidden': 'Недостаточно прав', 'api.upstream': 'Zadarma отказала: {message}',
  'api.rejected': 'Сервер отклонил запрос', 'api.too_large': 'Слишком большой запрос',
};

export type Locale = 'en' | 'ru';
export const LOCALES: [Locale, string][] = [['en', 'English'], ['ru', 'Русский']];
const DICTS: Record<Locale, Record<string, string>> = { en, ru };
const STORE_KEY = 'brando.locale';

export function interpolate(s: string, vars?: Vars): string {
  return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : s;
}

export function makeT(locale: Locale) {
  const d = DICTS[locale] ?? en;
  return (key: Key, vars?: Vars) => interpolate(d[key] ?? (en as Record<string, string>)[key] ?? key, vars);
}

export function pickLocale(stored: string | null, languages: readonly string[]): Locale {
  if (stored === 'en' || stored === 'ru') return stored;
  for (const l of languages) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'ru' || base === 'uk' || base === 'be') return 'ru';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export function initialLocale(): Locale {
  let stored: string | null = null;
  try { stored = localStorage.getItem(STORE_KEY); } catch { /* storage disabled */ }
  return pickLocale(stored, typeof navigator !== 'undefined' ? navigator.languages ?? [navigator.language] : []);
}

export function saveLocale(l: Locale) {
  try { localStorage.setItem(STORE_KEY, l); } catch { /* storage disabled: only this tab */ }
}
