// Runs the shared media contract cases against the embedded engine with every RTP session, mix and the media
// clock in the media worker thread, with sipp and baresip as callers and callees.
import { runMediaContractCases } from '../../contract-cases.ts';
import { embeddedSetup } from '../contract-setup.ts';

runMediaContractCases('embedded, media worker', embeddedSetup(true));
