/** A download the hub refused or could not serve; the message says what to do. */
export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    readonly reason: 'gated' | 'not-found' | 'offline' | 'http' | 'incomplete',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
