import { highlightSegments, type TextRange } from "./highlight-segments";

/** `text` with the given ranges wrapped in `<mark>`. */
export function Highlighted({ text, ranges }: { text: string; ranges: readonly TextRange[] }) {
  return (
    <>
      {highlightSegments(text, ranges).map((segment, i) =>
        segment.isMatch ? <mark key={i}>{segment.text}</mark> : <span key={i}>{segment.text}</span>,
      )}
    </>
  );
}
