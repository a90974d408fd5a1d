import fc from "fast-check";
import { normalize, type TextOpComponent, type TextOp } from "../text-op";

/**
 * Characters for generated text: ASCII, a BMP accent and CJK, a newline, and astral code points
 * (an emoji, an emoji with a skin-tone modifier) so that surrogate pairs are everywhere.
 */
export const TEXT_ALPHABET = ["a", "b", "z", " ", "\n", "é", "中", "😀", "👍🏽", "𝒳"] as const;

export const arbitraryInsert = (maxCodePoints = 4): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...TEXT_ALPHABET), { minLength: 1, maxLength: maxCodePoints }).map((a) => a.join(""));

export const arbitraryText = (maxCodePoints = 24): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...TEXT_ALPHABET), { maxLength: maxCodePoints }).map((a) => a.join(""));

type Step = readonly ["skip" | "delete" | "insert", number, string];

/**
 * A random op that applies to `text`, cutting only between code points: a walk of up to
 * `maxSteps` skips, deletes and inserts, as an editor produces from one or several changes.
 */
export function arbitraryOpFor(text: string, maxSteps = 4): fc.Arbitrary<TextOp> {
  const widths = codePointWidths(text);
  const step: fc.Arbitrary<Step> = fc.tuple(
    fc.constantFrom("skip", "delete", "insert"),
    fc.nat({ max: Math.max(0, widths.length) }),
    arbitraryInsert(),
  );
  return fc.array(step, { maxLength: maxSteps }).map((steps) => buildOp(widths, steps));
}

/**
 * Draws a document and a sequence of ops, each made on the text the previous ones produced.
 * `texts[i]` is the text before `ops[i]`; `texts[ops.length]` is the final text.
 */
export function drawOpChain(g: fc.GeneratorValue, maxOps = 6): { texts: string[]; ops: TextOp[] } {
  const texts = [g(arbitraryText)];
  const ops: TextOp[] = [];
  const count = g(fc.nat, { max: maxOps });
  for (let i = 0; i < count; i++) {
    const op = g(arbitraryOpFor, texts[i]!);
    ops.push(op);
    texts.push(referenceApply(texts[i]!, op));
  }
  return { texts, ops };
}

/** Code points' UTF-16 widths (1 or 2), so generated offsets never fall inside a pair. */
export function codePointWidths(text: string): number[] {
  return Array.from(text, (ch) => ch.length);
}

function buildOp(widths: number[], steps: readonly Step[]): TextOp {
  const op: TextOpComponent[] = [];
  let at = 0;
  for (const [kind, n, insert] of steps) {
    if (kind === "insert") {
      op.push(insert);
      continue;
    }
    const remaining = widths.length - at;
    if (remaining === 0) continue;
    const count = (n % remaining) + 1;
    const units = widths.slice(at, at + count).reduce((sum, w) => sum + w, 0);
    at += count;
    op.push(kind === "skip" ? units : { d: units });
  }
  return normalize(op);
}

/** A straightforward apply, independent of ot-text, to check it against. */
export function referenceApply(text: string, op: TextOp): string {
  let out = "";
  let at = 0;
  for (const c of op) {
    if (typeof c === "number") {
      out += text.slice(at, at + c);
      at += c;
    } else if (typeof c === "string") {
      out += c;
    } else {
      at += c.d;
    }
  }
  return out + text.slice(at);
}
