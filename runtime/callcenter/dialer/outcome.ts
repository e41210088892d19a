// What an attempt that was not answered means: the manual's state code (decisions.md "Call outcome codes") and
// the name the retry policy knows it by.
import type { OriginateFailure } from '../../media/contract.ts';
import { TaskState, type TaskStateCode } from '../store/dialer-tasks.ts';

/** The retry policy's names for outcomes (`dialer.retry.on`); a number that does not exist is never retried. */
export type RetryableOutcome = 'busy' | 'no-answer' | 'unreachable' | 'failed';

/** 3 no such number (SIP 404, 484, 604), 5 busy (486, 600), 6 unreachable (480, 408, 503), 2 anything else. */
export function stateOf(failure: OriginateFailure): TaskStateCode {
  switch (failure) {
    case 'not-found':
      return TaskState.noSuchNumber;
    case 'busy':
      return TaskState.busy;
    case 'unavailable':
      return TaskState.unreachable;
    default:
      return TaskState.failed;
  }
}

/** How the retry policy names a failure; undefined for one it never retries (no such number). */
export function retryNameOf(failure: OriginateFailure): RetryableOutcome | undefined {
  switch (failure) {
    case 'not-found':
      return undefined;
    case 'busy':
      return 'busy';
    case 'unavailable':
      return 'unreachable';
    case 'no-answer':
      return 'no-answer';
    default:
      return 'failed';
  }
}
