// dash: the shape of GET /api/dashboard as the dashboard screen reads it.

export interface Counts { total: number; answered: number; missed: number }

export interface Dash {
  from: string; to: string; tz: string;
  calls: Counts & { incoming: number; outgoing: number; missedOpen: number; answerRate: number | null;
    avgWaitSeconds: number | null; avgTalkSeconds: number | null; byHour: (Counts & { hour: number })[] };
  tickets: { created: number; completed: number; cancelled: number; byStatus: Record<string, number>;
    revenue: string; fromCalls: number; conversion: number | null };
  masters: { id: string; name: string; open: number; completed: number; revenue: string; avgCompletionSeconds: number | null }[];
  operators: { id: string; name: string; callsHandled: number; ticketsCreated: number }[];
  series: { days: { date: string; calls: number; answered: number; missed: number; ticketsCreated: number;
    ticketsCompleted: number; revenue: string }[] };
}
