// compiler/errors.ts — the one error type that reading a .beam file raises.
//
// Every failure to read a file becomes a BeamError that knows the byte
// offset where reading stopped, so that the CLI can print one line,
// "FILE: byte OFFSET: what", and never a stack trace.

export class BeamError extends Error {
  constructor(
    /** Byte offset in the file (or in the named chunk's uncompressed data). */
    readonly offset: number,
    readonly detail: string,
    /** Set by the caller that knows the path. */
    public file?: string,
  ) {
    super(detail);
    this.name = "BeamError";
  }

  /** The one-line form: "file: byte N: detail". */
  oneLine(): string {
    const where = this.file ?? "<input>";
    return `${where}: byte ${this.offset}: ${this.detail}`;
  }
}

/** Throws a BeamError; typed `never` so that callers can use it in expressions. */
export function fail(offset: number, detail: string): never {
  throw new BeamError(offset, detail);
}
