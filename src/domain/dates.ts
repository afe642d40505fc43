/** Viet Nam's calendar date for an instant: what "today" means to a user of the system. */
export function vnDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(at);
}

/** 20/01/2022, the way Vietnamese documents write dates. */
export function viDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
