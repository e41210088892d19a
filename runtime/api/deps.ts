// What the HTTP API needs from the rest of the runtime, handed to every route family.
import type { Config } from '../config/schema.ts';
import type { CallCenter } from '../callcenter/call-center.ts';
import type { FlowRegistry } from '../callcenter/flow-registry.ts';
import type { Store } from '../callcenter/store/db.ts';
import type { ConfinedRoot } from '../files/confined-root.ts';
import type { Logger } from '../log.ts';
import type { OpenBrowserCall } from '../media/browser/channel.ts';
import type { SmsQuery } from '../callcenter/sms/sms-query.ts';

export interface ApiDeps {
  config: Config;
  store: Store;
  calls: CallCenter;
  flows: FlowRegistry;
  log: Logger;
  /** The sound root (`[FILE_PATH]`). */
  sounds: ConfinedRoot;
  /** Call recordings (FileDownServlet, RecordPlayerSvlt, CallRecordHome). */
  recordings: ConfinedRoot;
  /** Opens a designer test call's browser leg (the browser channel, given by the composition root). */
  openBrowserCall: OpenBrowserCall;
  /** SMS self-service (section 23), when `callCenter.sms.url` is set. */
  sms?: SmsQuery;
  /** Absolute folder of the built designer; not served when it does not exist. */
  designerDir: string;
}
