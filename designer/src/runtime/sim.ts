// The test call: a WebSocket to the runtime's simulator; prompts play in an <audio>, keys go back as DTMF.
import { create } from 'zustand';
import { serialize } from '../../../schema/serialize.ts';
import { toDocument } from '../graph/mapping.ts';
import { useFlow } from '../store/flow.ts';
import { useOverlay } from '../store/overlay.ts';
import { takenEdges, visitsOf, type SimEvent } from './attribution.ts';

interface PlayItem {
  kind: 'audio' | 'tts';
  url: string;
  text?: string;
}

type ServerMessage =
  | { type: 'started'; callId: string }
  | { type: 'play'; playId: number; bargein: boolean; items: PlayItem[] }
  | { type: 'stop'; playId: number }
  | { type: 'trace'; event: SimEvent }
  | { type: 'end'; result?: string; endReason?: string }
  | { type: 'error'; message?: string; problems?: { code?: string; message?: string }[] };

export interface SimState {
  status: 'idle' | 'connecting' | 'in-call' | 'ended' | 'error';
  callId?: string;
  log: string[];
  /** The call's trace events, for the path it took (attribution.ts). */
  events: SimEvent[];
  playing?: string;
  endReason?: string;
}

export const useSim = create<SimState>(() => ({ status: 'idle', log: [], events: [] }));

let socket: WebSocket | undefined;
let audio: HTMLAudioElement | undefined;
let current: { playId: number; bargein: boolean; cancelled: boolean } | undefined;

function log(line: string): void {
  useSim.setState((s) => ({ log: [...s.log.slice(-300), line] }));
}

function send(msg: object): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
}

function stopAudio(): void {
  if (current) current.cancelled = true;
  audio?.pause();
  useSim.setState({ playing: undefined });
}

async function playItems(playId: number, bargein: boolean, items: PlayItem[]): Promise<void> {
  stopAudio();
  const me = { playId, bargein, cancelled: false };
  current = me;
  for (const item of items) {
    if (me.cancelled) return;
    useSim.setState({ playing: item.text ?? item.url });
    audio = new Audio(item.url);
    await new Promise<void>((resolve) => {
      audio!.onended = () => resolve();
      audio!.onerror = () => resolve();
      audio!.onpause = () => resolve();
      audio!.play().catch(() => resolve());
    });
  }
  if (!me.cancelled) {
    useSim.setState({ playing: undefined });
    send({ type: 'played', playId });
  }
}

function onMessage(msg: ServerMessage): void {
  if (msg.type === 'started') useSim.setState({ status: 'in-call', callId: msg.callId });
  else if (msg.type === 'play') void playItems(msg.playId, msg.bargein, msg.items);
  else if (msg.type === 'stop') {
    if (current?.playId === msg.playId) stopAudio();
  } else if (msg.type === 'trace') {
    onTrace(msg.event);
    const { type, form, t: _t, callId: _callId, ...rest } = msg.event;
    const details = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    log(`${type}${form ? ` [${form}]` : ''}${details}`);
    // Every event names the form it happened in: the canvas follows the call from node to node.
    if (form && useOverlay.getState().runningForm !== form) useOverlay.setState({ runningForm: form });
  } else if (msg.type === 'end') {
    stopAudio();
    log(`end ${msg.endReason ?? ''} ${msg.result ?? ''}`);
    useSim.setState({ status: 'ended', endReason: msg.endReason ?? msg.result ?? '' });
    useOverlay.setState({ runningForm: undefined });
    socket?.close();
  } else if (msg.type === 'error') {
    log(`error ${msg.message ?? ''}`);
    for (const p of msg.problems ?? []) log(`  ${p.code ?? ''} ${p.message ?? ''}`);
  }
}

/** Keeps the event and shows the path so far on the canvas: forms visited, edges followed. */
function onTrace(event: SimEvent): void {
  const events = [...useSim.getState().events, event];
  useSim.setState({ events });
  if (event.type !== 'form.enter' && event.type !== 'goto' && event.type !== 'choice') return;
  const visits = visitsOf(events);
  useOverlay.setState({
    visited: new Set(visits.map((v) => v.form)),
    taken: takenEdges(useFlow.getState().graph, visits),
  });
}

export function startCall(caller: string, vars: Record<string, string> = {}): void {
  hangup();
  const xml = serialize(toDocument(useFlow.getState().graph));
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/sim`;
  useSim.setState({ status: 'connecting', log: [], events: [], callId: undefined, endReason: undefined });
  useOverlay.setState({ visited: undefined, taken: undefined });
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => ws.send(JSON.stringify({ type: 'start', xml, vars, caller, callee: 'designer' }));
  ws.onmessage = (e) => onMessage(JSON.parse(String(e.data)) as ServerMessage);
  ws.onerror = () => useSim.setState({ status: 'error' });
  ws.onclose = () => {
    if (socket === ws) socket = undefined;
    if (useSim.getState().status === 'in-call' || useSim.getState().status === 'connecting') {
      useSim.setState({ status: 'ended' });
    }
    useOverlay.setState({ runningForm: undefined });
  };
}

export function pressKey(digit: string): void {
  if (current?.bargein) stopAudio();
  log(`dtmf ${digit}`);
  send({ type: 'dtmf', digit });
}

export function hangup(): void {
  stopAudio();
  send({ type: 'hangup' });
  socket?.close();
  socket = undefined;
}
