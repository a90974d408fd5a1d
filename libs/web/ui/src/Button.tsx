import type { ButtonHTMLAttributes } from "react";
import { cx } from "./class-names";
import { Spinner } from "./Spinner";

export type ButtonVariant = "primary" | "secondary" | "ghost" | "danger";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** Visual weight: one `primary` per view, `danger` for destructive actions. */
  variant?: ButtonVariant;
  size?: "sm" | "md";
  /** Shows a spinner and disables the button while an action runs. */
  isLoading?: boolean;
}

/** A real `<button>`, `type="button"` unless told otherwise so it never submits a form by accident. */
export function Button({
  variant = "secondary",
  size = "md",
  isLoading = false,
  disabled,
  className,
  children,
  type = "button",
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      className={cx("ui-button", `ui-button--${variant}`, size === "sm" && "ui-button--sm", className)}
      disabled={disabled || isLoading}
      aria-busy={isLoading || undefined}
      {...rest}
    >
      {isLoading && <Spinner size={14} />}
      {children}
    </button>
  );
}
