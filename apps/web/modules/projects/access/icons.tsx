/* Decorative icons for sharing, drawn like ../../common/icons (16px grid, stroke only). */

interface IconProps {
  size?: number;
}

export function LockIcon({ size = 14 }: IconProps) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
    >
      <rect x="3.25" y="7" width="9.5" height="6.75" rx="1.25" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" />
    </svg>
  );
}

export function PeopleIcon({ size = 16 }: IconProps) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
    >
      <circle cx="6" cy="5.5" r="2.25" />
      <path d="M1.75 13.25c.5-2.25 2.2-3.5 4.25-3.5s3.75 1.25 4.25 3.5" />
      <path d="M10.5 3.4a2.25 2.25 0 0 1 0 4.2M12 9.9c1.1.5 1.9 1.6 2.25 3.35" />
    </svg>
  );
}
