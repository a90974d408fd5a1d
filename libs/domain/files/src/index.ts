export { createFileProcessor, EXTRACTED_TEXT_MAX_CHARS, FILE_PROCESSOR } from "./file-processor";
export type { FileProcessorOptions } from "./file-processor";
export { createFilesService, formatBytes } from "./files.service";
export type { FilesService, FilesServiceOptions, UploadInput } from "./files.service";
