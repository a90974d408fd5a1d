export {
  MAX_DOCUMENT_LENGTH,
  apply,
  compose,
  isDelete,
  isInsert,
  isNoop,
  normalize,
  opSize,
  requiredLength,
  resultingLength,
  transform,
} from "./text-op";
export type { Delete, Insert, Side, Skip, TextOp, TextOpComponent } from "./text-op";
export {
  INVALID_OP_REASONS,
  InvalidOpError,
  MAX_OP_SIZE_DEFAULT,
  checkOpFits,
  parseOp,
  splitsSurrogatePair,
} from "./parse-op";
export type { InvalidOpReason, ParseOpOptions, ParseOpResult } from "./parse-op";
export { RebaseError, headVersion, rebase } from "./rebase";
export type { OpHistory, RebaseErrorReason } from "./rebase";
export { transformCursor, transformRange, transformSelection } from "./positions";
export type { Selection, TextRange, TransformedRange } from "./positions";
export { OtClient, OtProtocolError } from "./ot-client";
export type { OtClientOptions, OtClientState, OtProtocolErrorReason, OutgoingOp, RemoteOpResult } from "./ot-client";
