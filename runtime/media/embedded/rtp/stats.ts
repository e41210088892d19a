// Counters of one RTP session: what it received, dropped and lost (the sender keeps its own).

export interface RtpStats {
  packetsSent: number;
  packetsReceived: number;
  bytesSent: number;
  bytesReceived: number;
  /** Datagrams that were not RTP, or came from another address after latching. */
  packetsDropped: number;
  /** Gaps in received sequence numbers. */
  packetsLost: number;
  dtmfReceived: number;
}

export class ReceiveStats {
  packetsReceived = 0;
  bytesReceived = 0;
  packetsDropped = 0;
  packetsLost = 0;
  dtmfReceived = 0;
  private lastSeq = -1;

  /** One accepted packet of `bytes` with sequence number `seq`. */
  received(bytes: number, seq: number): void {
    this.packetsReceived++;
    this.bytesReceived += bytes;
    if (this.lastSeq >= 0) {
      const gap = (seq - this.lastSeq - 1) & 0xffff;
      // A small forward gap is loss; anything else is reordering or a restart.
      if (gap > 0 && gap < 100) this.packetsLost += gap;
    }
    this.lastSeq = seq;
  }

  with(sent: { packetsSent: number; bytesSent: number }): RtpStats {
    const { packetsReceived, bytesReceived, packetsDropped, packetsLost, dtmfReceived } = this;
    return {
      packetsReceived,
      bytesReceived,
      packetsDropped,
      packetsLost,
      dtmfReceived,
      packetsSent: sent.packetsSent,
      bytesSent: sent.bytesSent,
    };
  }
}
