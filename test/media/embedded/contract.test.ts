// Runs the shared media contract cases against the embedded engine with its media on the main thread, with sipp
// and baresip as callers and callees (worker/contract.test.ts runs them with the media worker).
import { runMediaContractCases } from '../contract-cases.ts';
import { embeddedSetup } from './contract-setup.ts';

runMediaContractCases('embedded', embeddedSetup(false));
