export interface AvatarProps {
  name: string;
  /** Shown instead of initials when set. */
  imageUrl?: string | null;
  size?: number;
}

function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [parts[0]?.[0], parts[0]?.[1]];
  return letters.filter(Boolean).join("").toUpperCase() || "?";
}

/** A stable colour per name, so the same person looks the same everywhere. */
function hueOf(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return hash;
}

export function Avatar({ name, imageUrl, size = 28 }: AvatarProps) {
  if (imageUrl) {
    return <img className="ui-avatar" src={imageUrl} alt="" width={size} height={size} />;
  }
  return (
    <span
      className="ui-avatar"
      style={{ width: size, height: size, fontSize: size * 0.4, background: `hsl(${hueOf(name)} 55% 46%)` }}
      aria-hidden
    >
      {initialsOf(name)}
    </span>
  );
}
