//! The packets this laptop sent and received (migration 016). Neither table syncs: see there.

use rusqlite::{params, Connection, OptionalExtension};

use hearth_records::RecordId;

/// A packet this laptop wrote. (No Debug: it holds the answer key.)
#[derive(Clone)]
pub(crate) struct SentPacket {
    pub packet_id: RecordId,
    pub referral_id: RecordId,
    pub case_id: RecordId,
    pub partner_id: RecordId,
    pub answer_key: [u8; 32],
    pub protected_by: &'static str,
    pub sent_ms: u64,
    pub expires: String,
}

pub(crate) fn record_sent(connection: &Connection, sent: &SentPacket) -> rusqlite::Result<()> {
    connection.execute(
        "INSERT INTO sent_packets (packet_id, referral_id, case_id, partner_id, answer_key,
                                   protected_by, sent_ms, expires)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            sent.packet_id.0.as_slice(),
            sent.referral_id.0.as_slice(),
            sent.case_id.0.as_slice(),
            sent.partner_id.0.as_slice(),
            sent.answer_key.as_slice(),
            sent.protected_by,
            i64::try_from(sent.sent_ms).unwrap_or(i64::MAX),
            sent.expires,
        ],
    )?;
    Ok(())
}

/// What the sender knows of a packet it sent: its referral, case, answer key, and whether an
/// answer came already. (No Debug: it holds the answer key.)
#[derive(Clone)]
pub(crate) struct SentRecord {
    pub referral_id: RecordId,
    pub case_id: RecordId,
    pub answer_key: [u8; 32],
    pub answered: bool,
}

pub(crate) fn sent(
    connection: &Connection,
    packet_id: RecordId,
) -> rusqlite::Result<Option<SentRecord>> {
    connection
        .query_row(
            "SELECT referral_id, case_id, answer_key, answered_ms IS NOT NULL
             FROM sent_packets WHERE packet_id = ?1",
            params![packet_id.0.as_slice()],
            |row| {
                Ok((
                    row.get::<_, Vec<u8>>(0)?,
                    row.get::<_, Vec<u8>>(1)?,
                    row.get::<_, Vec<u8>>(2)?,
                    row.get::<_, bool>(3)?,
                ))
            },
        )
        .optional()
        .map(|found| {
            found.and_then(|(referral, case, key, answered)| {
                Some(SentRecord {
                    referral_id: RecordId(referral.try_into().ok()?),
                    case_id: RecordId(case.try_into().ok()?),
                    answer_key: key.try_into().ok()?,
                    answered,
                })
            })
        })
}

pub(crate) fn mark_answered(
    connection: &Connection,
    packet_id: RecordId,
    answer_id: RecordId,
    now_ms: u64,
) -> rusqlite::Result<()> {
    connection.execute(
        "UPDATE sent_packets SET answered_ms = ?2, answer_id = ?3 WHERE packet_id = ?1",
        params![
            packet_id.0.as_slice(),
            i64::try_from(now_ms).unwrap_or(i64::MAX),
            answer_id.0.as_slice()
        ],
    )?;
    Ok(())
}

/// A packet received here. (No Debug: it holds the answer key.)
#[derive(Clone)]
pub(crate) struct ReceivedPacket {
    pub packet_id: RecordId,
    pub case_id: RecordId,
    pub referral_id: RecordId,
    pub answer_recipient: String,
    pub answer_key: [u8; 32],
    pub sender_key: [u8; 32],
    pub received_ms: u64,
    pub answered: bool,
}

pub(crate) fn is_received(connection: &Connection, packet_id: RecordId) -> rusqlite::Result<bool> {
    connection
        .query_row(
            "SELECT 1 FROM received_packets WHERE packet_id = ?1",
            params![packet_id.0.as_slice()],
            |_| Ok(()),
        )
        .optional()
        .map(|found| found.is_some())
}

pub(crate) fn record_received(
    connection: &Connection,
    received: &ReceivedPacket,
) -> rusqlite::Result<()> {
    connection.execute(
        "INSERT INTO received_packets (packet_id, case_id, referral_id, answer_recipient,
                                       answer_key, sender_key, received_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            received.packet_id.0.as_slice(),
            received.case_id.0.as_slice(),
            received.referral_id.0.as_slice(),
            received.answer_recipient,
            received.answer_key.as_slice(),
            received.sender_key.as_slice(),
            i64::try_from(received.received_ms).unwrap_or(i64::MAX),
        ],
    )?;
    Ok(())
}

/// The received packet an incoming referral came in.
pub(crate) fn received_for_referral(
    connection: &Connection,
    referral_id: RecordId,
) -> rusqlite::Result<Option<ReceivedPacket>> {
    connection
        .query_row(
            "SELECT packet_id, case_id, answer_recipient, answer_key, sender_key, received_ms,
                    answered_ms IS NOT NULL
             FROM received_packets WHERE referral_id = ?1",
            params![referral_id.0.as_slice()],
            |row| {
                Ok((
                    row.get::<_, Vec<u8>>(0)?,
                    row.get::<_, Vec<u8>>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Vec<u8>>(3)?,
                    row.get::<_, Vec<u8>>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, bool>(6)?,
                ))
            },
        )
        .optional()
        .map(|found| {
            found.and_then(|(packet, case, recipient, key, sender, at, answered)| {
                Some(ReceivedPacket {
                    packet_id: RecordId(packet.try_into().ok()?),
                    case_id: RecordId(case.try_into().ok()?),
                    referral_id,
                    answer_recipient: recipient,
                    answer_key: key.try_into().ok()?,
                    sender_key: sender.try_into().ok()?,
                    received_ms: u64::try_from(at).unwrap_or(0),
                    answered,
                })
            })
        })
}

pub(crate) fn mark_received_answered(
    connection: &Connection,
    packet_id: RecordId,
    now_ms: u64,
) -> rusqlite::Result<()> {
    connection.execute(
        "UPDATE received_packets SET answered_ms = ?2 WHERE packet_id = ?1",
        params![
            packet_id.0.as_slice(),
            i64::try_from(now_ms).unwrap_or(i64::MAX)
        ],
    )?;
    Ok(())
}
