"use client";

import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import { cx } from "./class-names";

interface FieldFrameProps {
  label: string;
  /** Shown under the control; replaced by `error` when there is one. */
  hint?: ReactNode;
  error?: string | undefined;
  /** Visually hide the label (it stays the control's accessible name). */
  isLabelHidden?: boolean;
}

function FieldFrame({
  id,
  label,
  hint,
  error,
  isLabelHidden,
  children,
}: FieldFrameProps & { id: string; children: ReactNode }) {
  return (
    <div className={cx("ui-field", error && "ui-field--invalid")}>
      <label htmlFor={id} className={cx("ui-field__label", isLabelHidden && "ui-visually-hidden")}>
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-message`} className="ui-field__error">
          {error}
        </p>
      ) : (
        hint && (
          <p id={`${id}-message`} className="ui-field__hint">
            {hint}
          </p>
        )
      )}
    </div>
  );
}

export type TextFieldProps = FieldFrameProps & InputHTMLAttributes<HTMLInputElement>;

export function TextField({ label, hint, error, isLabelHidden, id, className, ...input }: TextFieldProps) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error} isLabelHidden={isLabelHidden}>
      <input
        id={fieldId}
        className={cx("ui-input", className)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${fieldId}-message` : undefined}
        {...input}
      />
    </FieldFrame>
  );
}

export type TextAreaFieldProps = FieldFrameProps & TextareaHTMLAttributes<HTMLTextAreaElement>;

export function TextAreaField({ label, hint, error, isLabelHidden, id, className, ...textarea }: TextAreaFieldProps) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error} isLabelHidden={isLabelHidden}>
      <textarea
        id={fieldId}
        className={cx("ui-input", "ui-input--multiline", className)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${fieldId}-message` : undefined}
        {...textarea}
      />
    </FieldFrame>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

export type SelectFieldProps = FieldFrameProps &
  SelectHTMLAttributes<HTMLSelectElement> & {
    options: readonly SelectOption[];
  };

export function SelectField({
  label,
  hint,
  error,
  isLabelHidden,
  id,
  className,
  options,
  ...select
}: SelectFieldProps) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error} isLabelHidden={isLabelHidden}>
      <select
        id={fieldId}
        className={cx("ui-input", "ui-select", className)}
        aria-invalid={error ? true : undefined}
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
