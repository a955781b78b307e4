import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './passwords.js';

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one; the hash never contains the password', async () => {
    const pw = 'correct horse battery staple';
    const hash = await hashPassword(pw);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain(pw);
    expect(hash).not.toContain(Buffer.from(pw).toString('base64'));
    expect(await verifyPassword(pw, hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts each hash: the same password hashes differently, and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('same password 1'), hashPassword('same password 1')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password 1', a)).toBe(true);
    expect(await verifyPassword('same password 1', b)).toBe(true);
  });

  it('a malformed or foreign stored hash never verifies', async () => {
    for (const stored of ['', 'plain', 'scrypt$16384$8$1$$', 'bcrypt$x$y$z$a$b', 'scrypt$0$8$1$c2FsdA==$a2V5']) expect(await verifyPassword('anything at all', stored)).toBe(false);
  });

  it('checks length only, and generates long random passwords', () => {
    expect(passwordProblem('short')).toBe('password: at least 12 characters');
    expect(passwordProblem('x'.repeat(1025))).toBe('password: at most 1024 characters');
    expect(passwordProblem('twelve chars')).toBeUndefined();
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
