"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";

export interface DialogProps {
  isOpen: boolean;
  title: string;
  description?: ReactNode;
  /** Called on Escape, on a click outside the panel, and by the caller's own Cancel button. */
  onClose: () => void;
  children?: ReactNode;
  /** Buttons, right-aligned under the content. */
  footer?: ReactNode;
  testId?: string;
}

/**
 * A modal built on the native `<dialog>`: `showModal()` gives focus trapping, the inert background
 * and Escape handling for free. Content mounts only while open, so forms inside start fresh each time.
 */
export function Dialog({ isOpen, title, description, onClose, children, footer, testId }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) dialog.showModal();
    if (!isOpen && dialog.open) dialog.close();
  }, [isOpen]);

  return (
    <dialog
      ref={ref}
      className="ui-dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        // Keep React the owner of `isOpen`; the browser would otherwise close it behind our back.
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
    >
      {isOpen && (
        <div className="ui-dialog__panel">
          <h2 id={titleId} className="ui-dialog__title">
            {title}
          </h2>
          {description && <div className="ui-dialog__description">{description}</div>}
          {children}
          {footer && <div className="ui-dialog__footer">{footer}</div>}
        </div>
      )}
    </dialog>
  );
}
