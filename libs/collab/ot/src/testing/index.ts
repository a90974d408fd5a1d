export {
  TEXT_ALPHABET,
  arbitraryInsert,
  arbitraryOpFor,
  arbitraryText,
  codePointWidths,
  drawOpChain,
  referenceApply,
} from "./arbitraries";
