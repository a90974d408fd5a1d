"use client";

import {
  createContext,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { cx } from "./class-names";

const CloseMenu = createContext<() => void>(() => {});

export interface MenuProps {
  /** The trigger's accessible name, e.g. "Switch organization". */
  label: string;
  /** What the trigger shows. */
  trigger: ReactNode;
  children: ReactNode;
  /** Which edge of the trigger the popup lines up with. */
  align?: "start" | "end";
  /** Open upwards, for triggers at the bottom of the screen. */
  placement?: "below" | "above";
  triggerClassName?: string;
  testId?: string;
}

/**
 * A menu button (WAI-ARIA pattern): the trigger toggles a popup of items; arrow keys move between
 * items, Escape closes and returns focus to the trigger, a click outside closes.
 */
export function Menu({
  label,
  trigger,
  children,
  align = "start",
  placement = "below",
  triggerClassName,
  testId,
}: MenuProps) {
  const [isOpen, setIsOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const popupRef = useRef<HTMLDivElement>(null);
  const popupId = useId();

  useEffect(() => {
    if (!isOpen) return;
    popupRef.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setIsOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [isOpen]);

  function close() {
    setIsOpen(false);
    triggerRef.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      return;
    }
    if (event.key === "Tab") {
      setIsOpen(false);
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const items = Array.from(popupRef.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? []);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const step = event.key === "ArrowDown" ? 1 : -1;
    items[(at + step + items.length) % items.length]?.focus();
  }

  return (
    <div className="ui-menu" ref={rootRef} onKeyDown={onKeyDown}>
      <button
        ref={triggerRef}
        type="button"
        className={cx("ui-menu__trigger", triggerClassName)}
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={isOpen}
        aria-controls={isOpen ? popupId : undefined}
        data-testid={testId}
        onClick={() => setIsOpen((open) => !open)}
      >
        {trigger}
      </button>
      {isOpen && (
        <div
          ref={popupRef}
          id={popupId}
          role="menu"
          aria-label={label}
          className={cx("ui-menu__popup", `ui-menu__popup--${align}`, `ui-menu__popup--${placement}`)}
        >
          <CloseMenu.Provider value={close}>{children}</CloseMenu.Provider>
        </div>
      )}
    </div>
  );
}

export interface MenuItemProps {
  onSelect: () => void;
  children: ReactNode;
  /** Marks the current choice (the active organization, say). */
  isSelected?: boolean;
  testId?: string;
}

export function MenuItem({ onSelect, children, isSelected, testId }: MenuItemProps) {
  const close = useContext(CloseMenu);
  return (
    <button
      type="button"
      role="menuitem"
      tabIndex={-1}
      className={cx("ui-menu__item", isSelected && "ui-menu__item--selected")}
      aria-current={isSelected || undefined}
      data-testid={testId}
      onClick={() => {
        close();
        onSelect();
      }}
    >
      {children}
    </button>
  );
}

export function MenuSeparator() {
  return <div className="ui-menu__separator" role="separator" />;
}

export function MenuHeading({ children }: { children: ReactNode }) {
  return (
    <div className="ui-menu__heading" role="presentation">
      {children}
    </div>
  );
}
