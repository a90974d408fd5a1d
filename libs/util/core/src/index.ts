export { AppError, forbidden, isAppError, notFound } from "./app-error";
export type { AppErrorOptions } from "./app-error";
export { decodeCursor, encodeCursor, readCursor, type CursorPart } from "./cursor";
export { isUuid, newId } from "./ids";
export { projectKeyFrom, slugify } from "./slug";
export { openSecret, sealSecret } from "./secret-box";
