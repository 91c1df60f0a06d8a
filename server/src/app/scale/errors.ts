/** A message no retry can fix (malformed, or naming a run that does not exist): it goes straight to poison. */
export class PoisonMessageError extends Error {
  override readonly name = "PoisonMessageError";
}

/** The scale-out store holds nothing where a step needs something (a run without its manifest). */
export class MissingStateError extends Error {
  override readonly name = "MissingStateError";
}
