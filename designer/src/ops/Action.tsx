// One supervisor action in flight: its pending state and the manual's answer, shown beside the control that sent
// it (the reason of a refusal as the runtime gave it).
import { useCallback, useRef, useState } from 'react';
import { useT } from '../i18n/index.ts';
import type { Answer } from './control.ts';

export interface ActionState {
  pending: boolean;
  answer?: Answer;
}

/** Runs one request at a time; `run` ignores a second click while the first waits for its answer. */
export function useAction(): [ActionState, (send: () => Promise<Answer>) => void] {
  const [state, setState] = useState<ActionState>({ pending: false });
  const busy = useRef(false);
  const run = useCallback((send: () => Promise<Answer>) => {
    if (busy.current) return;
    busy.current = true;
    setState({ pending: true });
    void send().then((answer) => {
      busy.current = false;
      setState({ pending: false, answer });
    });
  }, []);
  return [state, run];
}

/** The outcome line: waiting, the refusal with its reason, or `done` (what success shows, when anything). */
export function AnswerLine({
  state,
  testId,
  done,
}: {
  state: ActionState;
  testId: string;
  done?: (a: Answer) => string;
}) {
  const t = useT();
  const a = state.answer;
  if (state.pending)
    return (
      <span className="hint" data-testid={testId} data-code="pending">
        {t('ops.call.working')}
      </span>
    );
  if (!a) return null;
  if (a.code === 200)
    return (
      <span className="hint" data-testid={testId} data-code="200">
        {done ? done(a) : t('ops.call.done')}
      </span>
    );
  const text =
    a.code === 0
      ? t('ops.unreachable', { reason: a.text })
      : t('ops.failed', { code: a.code, reason: a.text });
  return (
    <span className="error" role="alert" data-testid={testId} data-code={a.code}>
      {text}
    </span>
  );
}
