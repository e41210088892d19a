// Errors the FreeSWITCH engine reports at its boundary (start, originate), each with a code, and its log shape.

export type FreeswitchErrorCode =
  /** drachtio-server did not accept our connection (address, port or secret wrong, or not running). */
  | 'E_DRACHTIO_UNREACHABLE'
  /** A FreeSWITCH event socket did not accept our connection at start. */
  | 'E_MEDIA_SERVER_UNREACHABLE'
  /** No media server is configured, or none is up right now. */
  | 'E_NO_MEDIA_SERVER'
  /** Two legs on different media servers cannot share media (bridge, conference). */
  | 'E_OTHER_MEDIA_SERVER';

export class FreeswitchError extends Error {
  constructor(
    readonly code: FreeswitchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FreeswitchError';
  }
}

export interface FreeswitchLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export const silentLog: FreeswitchLog = { debug: () => {}, warn: () => {} };
