import { fieldTextProblem } from './text-hygiene.ts';

/** Rules for accounts, shared by the API schemas and the service (the CLI goes through the service). */
export const USERNAME = /^[a-z0-9._-]{3,50}$/;
export const MIN_PASSWORD = 10;

export interface Problem {
  vi: string;
  en: string;
}

export function newUserProblems(u: {
  username: string;
  password: string;
  displayName?: string;
}): Problem[] {
  const out: Problem[] = [];
  // Text the database cannot store (NUL…) is refused here too, for the CLI's `user add`.
  for (const field of ['displayName', 'password'] as const) {
    const problem = fieldTextProblem(field, u[field]);
    if (problem) out.push(problem);
  }
  if (!USERNAME.test(u.username)) {
    out.push({
      vi: 'Tên đăng nhập gồm 3–50 ký tự: chữ thường không dấu, số, dấu . _ -',
      en: 'User names are 3–50 characters: lowercase letters, digits, . _ -',
    });
  }
  if (u.password.length < MIN_PASSWORD) {
    out.push({
      vi: `Mật khẩu cần ít nhất ${MIN_PASSWORD} ký tự`,
      en: `Passwords need at least ${MIN_PASSWORD} characters`,
    });
  }
  return out;
}
