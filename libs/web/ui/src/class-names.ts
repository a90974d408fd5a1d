/** Joins the truthy class names; enough for conditional modifiers without a dependency. */
export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(" ");
}
