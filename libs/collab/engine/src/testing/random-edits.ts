import type { TextOp } from "@devflow/collab-ot";

/**
 * A random insert or delete on `text`, as an editor would make it: never cutting a surrogate pair,
 * with multi-unit characters and line breaks among the inserts. For fuzz and convergence tests.
 */
export function randomEdit(text: string, random: () => number): TextOp {
  const at = snap(text, Math.floor(random() * (text.length + 1)));
  if (text.length > at && random() < 0.35) {
    const end = snap(text, Math.min(text.length, at + 1 + Math.floor(random() * 4)), 1);
    if (end > at) return (at > 0 ? [at, { d: end - at }] : [{ d: end - at }]) as TextOp;
  }
  const insert = ["a", "é", "🙂", "word ", "\n"][Math.floor(random() * 5)]!;
  return (at > 0 ? [at, insert] : [insert]) as TextOp;
}

/** A repeatable random source (a linear congruential generator), so a failing run can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function snap(text: string, offset: number, direction: -1 | 1 = -1): number {
  const splits = offset > 0 && offset < text.length && /[\uDC00-\uDFFF]/.test(text[offset]!);
  return splits ? offset + direction : offset;
}
