/**
 * A few assertions without a test runner or `node:assert`, so the contract suite runs the same
 * under vitest, `deno test` and in a browser page.
 */
export class ContractFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ContractFailure";
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ContractFailure(message);
}

/** Deep equality on JSON-like values; object key order does not matter. */
export function assertEqual<T>(actual: T, expected: T, message: string): void {
  const a = canonical(actual);
  const b = canonical(expected);
  if (a !== b) throw new ContractFailure(`${message}\n  expected: ${b}\n  actual:   ${a}`);
}

/** Awaits `promise` and checks it rejects with an error whose `code` is `code`. */
export async function assertRejects(
  promise: Promise<unknown>,
  code: string,
  message: string,
): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    const actualCode = (error as { code?: unknown }).code;
    assert(actualCode === code, `${message}: expected code ${code}, got ${String(actualCode)}`);
    return error;
  }
  throw new ContractFailure(`${message}: expected a rejection with code ${code}`);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner) => {
    if (inner && typeof inner === "object" && !Array.isArray(inner)) {
      const sorted: Record<string, unknown> = Object.create(null);
      for (const key of Object.keys(inner).sort()) sorted[key] = inner[key];
      return sorted;
    }
    return inner;
  });
}
