/** A message no retry can fix (malformed, or naming a run that does not exist): it goes straight to poison. */
export class PoisonMessageError extends Error {
  override readonly name = "PoisonMessageError";
}

/** The scale-out store holds nothing where a step needs something (a run without its manifest). */
export class MissingStateError extends Error {
  override readonly name = "MissingStateError";
}

/**
 * Another worker moved a partition's kept state or a mailbox's cursor between this step's read and its
 * write (a conditional write lost): nothing was changed, and the step's retry starts from the new one.
 */
export class StateMovedError extends Error {
  override readonly name = "StateMovedError";
}
