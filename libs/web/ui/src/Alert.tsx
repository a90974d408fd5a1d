import type { ReactNode } from "react";
import { cx } from "./class-names";

export interface AlertProps {
  tone?: "error" | "info";
  title?: string;
  children: ReactNode;
  /** Extra controls, e.g. a "Try again" button. */
  action?: ReactNode;
}

/** An inline message; errors use role="alert" so screen readers announce them when they appear. */
export function Alert({ tone = "error", title, children, action }: AlertProps) {
  return (
    <div className={cx("ui-alert", `ui-alert--${tone}`)} role={tone === "error" ? "alert" : "status"}>
      <div className="ui-alert__body">
        {title && <p className="ui-alert__title">{title}</p>}
        <div>{children}</div>
      </div>
      {action}
    </div>
  );
}
