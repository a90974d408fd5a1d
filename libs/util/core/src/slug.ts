/** "Acme Robotics, Inc." → "acme-robotics-inc" */
export function slugify(text: string, maxLength = 48): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxLength)
    .replace(/-+$/g, "");
  return slug || "org";
}

/** "Payments Platform" → "PP"; "Core" → "CORE". Used when a project is created without a key. */
export function projectKeyFrom(name: string): string {
  const words = name
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9 ]+/g, " ")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const key =
    words.length >= 2 ? words.map((w) => w[0]).join("") : (words[0] ?? "").slice(0, 6);
  const upper = key.toUpperCase().replace(/^[0-9]+/, "");
  return upper.length >= 2 ? upper.slice(0, 10) : `P${upper}X`.slice(0, 10);
}
