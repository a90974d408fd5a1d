import { normalize, type TextOp, type TextOpComponent } from "@devflow/collab-ot";
import { ChangeSet, type ChangeSpec } from "@codemirror/state";

/**
 * The editor keeps "\n" as its only line break, so that its positions and the server's UTF-16
 * offsets count the same characters: with CodeMirror's default, "\r\n" would be one break to the
 * editor and two code units to everyone else.
 */
export const LINE_SEPARATOR = "\n";

/** The ot-text op with the same effect as a CodeMirror change set (both count UTF-16 code units). */
export function changeSetToOp(changes: ChangeSet): TextOp {
  const op: TextOpComponent[] = [];
  let position = 0;
  changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    if (fromA > position) op.push(fromA - position);
    const text = inserted.sliceString(0, inserted.length, LINE_SEPARATOR);
    if (text.length > 0) op.push(text);
    if (toA > fromA) op.push({ d: toA - fromA });
    position = toA;
  });
  return normalize(op);
}

/** The CodeMirror changes for an ot-text op applied to a document of `length` code units. */
export function opToChangeSpecs(op: TextOp): ChangeSpec[] {
  const specs: { from: number; to: number; insert: string }[] = [];
  let position = 0;
  for (const component of op) {
    if (typeof component === "number") {
      position += component;
      continue;
    }
    // An insert next to a delete at the same offset is one replacement.
    let last = specs.at(-1);
    if (!last || last.to !== position) {
      last = { from: position, to: position, insert: "" };
      specs.push(last);
    }
    if (typeof component === "string") last.insert += component;
    else {
      last.to += component.d;
      position += component.d;
    }
  }
  return specs;
}

/** The change set for an ot-text op on a document of `length` code units; throws when it does not fit. */
export function opToChangeSet(op: TextOp, length: number): ChangeSet {
  return ChangeSet.of(opToChangeSpecs(op), length, LINE_SEPARATOR);
}
