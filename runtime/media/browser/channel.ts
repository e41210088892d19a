// The browser channel as the API sees it: open a call whose caller is a browser, get its leg (the media contract)
// and the three things the browser can say (a key, "played", hang-up). The API never builds a leg itself.
import type { CallLeg } from '../contract.ts';
import { BrowserLeg, type BrowserLegOptions } from './leg.ts';

export type { BrowserLegOptions };

export interface BrowserCall {
  readonly leg: CallLeg;
  digit(digit: string): void;
  played(playId: number): void;
  remoteHangup(): void;
}

export type OpenBrowserCall = (opts: BrowserLegOptions) => BrowserCall;

export const openBrowserCall: OpenBrowserCall = (opts) => {
  const leg = new BrowserLeg(opts);
  return {
    leg,
    digit: (d) => leg.digit(d),
    played: (id) => leg.played(id),
    remoteHangup: () => leg.remoteHangup(),
  };
};
