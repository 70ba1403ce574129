-- Referral packets (hearth-referrals). Neither table syncs: a packet's answer is encrypted to
-- the laptop that sent the packet, and the answer to a received packet is written by the laptop
-- that received it. What the organisation needs to know travels as ordinary field changes of the
-- referral (its packet_id, status and decline_reason).

-- Packets this laptop wrote. `answer_key` authenticates the partner's answer: only the holder of
-- the packet knows it. `answered_ms` is set when an answer is imported, so that a replayed
-- answer is refused.
CREATE TABLE sent_packets (
    packet_id    BLOB PRIMARY KEY CHECK (length(packet_id) = 16),
    referral_id  BLOB NOT NULL CHECK (length(referral_id) = 16),
    case_id      BLOB NOT NULL CHECK (length(case_id) = 16),
    partner_id   BLOB NOT NULL CHECK (length(partner_id) = 16),
    answer_key   BLOB NOT NULL CHECK (length(answer_key) = 32),
    protected_by TEXT NOT NULL CHECK (protected_by IN ('recipient', 'passphrase')),
    sent_ms      INTEGER NOT NULL,
    expires      TEXT NOT NULL,
    answered_ms  INTEGER,
    answer_id    BLOB CHECK (answer_id IS NULL OR length(answer_id) = 16)
) STRICT, WITHOUT ROWID;
CREATE INDEX sent_packets_by_referral ON sent_packets (referral_id);

-- Packets received here, each once: the case it became, and what an answer needs (where to
-- encrypt it, and the key that authenticates it to the sender).
CREATE TABLE received_packets (
    packet_id        BLOB PRIMARY KEY CHECK (length(packet_id) = 16),
    case_id          BLOB NOT NULL CHECK (length(case_id) = 16),
    referral_id      BLOB NOT NULL CHECK (length(referral_id) = 16),
    answer_recipient TEXT NOT NULL,
    answer_key       BLOB NOT NULL CHECK (length(answer_key) = 32),
    sender_key       BLOB NOT NULL CHECK (length(sender_key) = 32),
    received_ms      INTEGER NOT NULL,
    answered_ms      INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX received_packets_by_referral ON received_packets (referral_id);
