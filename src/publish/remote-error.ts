/**
 * A failure talking to a portal. `retryable` says whether trying again later may help (5xx, 408, 429,
 * timeouts, network errors) or not (other 4xx, bad credentials, remote API switched off): the
 * dispatcher retries the first kind with backoff and fails fast on the second, keeping the remote's message.
 */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RemoteError';
  }
}

/** HTTP statuses worth retrying: server errors, request timeout, too many requests. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
