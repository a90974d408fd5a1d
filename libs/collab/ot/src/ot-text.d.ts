// ot-text 1.0.2 ships CommonJS without types. Only the members this package calls are declared, so
// nothing else (create, api, transformSelection, whose selection rules differ from ours) is reachable.
declare module "ot-text" {
  /** A skip (positive count), an insert (non-empty string) or a delete (`{ d: positive count }`). */
  export type Component = number | string | { d: number };

  export interface TextType {
    /** Throws on malformed ops and on skips past the end; silently truncates deletes past the end. */
    apply(snapshot: string, op: readonly Component[]): string;
    transform(op: readonly Component[], otherOp: readonly Component[], side: "left" | "right"): Component[];
    compose(op1: readonly Component[], op2: readonly Component[]): Component[];
    normalize(op: readonly Component[]): Component[];
  }

  export const type: TextType;
}
