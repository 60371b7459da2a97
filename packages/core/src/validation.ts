import type { z } from "zod";
import { type ErrorCode, type FieldIssue, PatronError } from "./errors.js";

/** Converts zod issues into field issues with dotted paths, one per offending field. */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  const fieldIssues: FieldIssue[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        fieldIssues.push({
          path: formatPath([...issue.path, key]),
          code: "unknown_field",
          message: `Unknown field "${key}"`,
        });
      }
      continue;
    }
    // Custom checks name their own code in `params`; built-in checks keep zod's code.
    const customCode = issue.code === "custom" ? (issue.params?.code as string | undefined) : null;
    fieldIssues.push({
      path: formatPath(issue.path),
      code: customCode ?? issue.code,
      message: issue.message,
    });
  }
  return fieldIssues;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part) => String(part)).join(".");
}

/**
 * Parses `input` with `schema`, or throws a {@link PatronError} that lists every problem at once.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  code: ErrorCode = "validation_failed",
  what = "request body",
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = toFieldIssues(result.error.issues);
  const count = errors.length === 1 ? "1 problem" : `${errors.length} problems`;
  throw new PatronError(code, { detail: `${count} in the ${what}`, errors });
}
