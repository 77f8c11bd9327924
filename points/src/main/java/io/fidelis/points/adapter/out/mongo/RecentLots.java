package io.fidelis.points.adapter.out.mongo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.types.Binary;

import io.fidelis.points.domain.Lot;

/**
 * The packed lots of the accounts this node read or wrote last, by member. An earn reads its
 * account, writes it, and settlement reads it again at once; an account keeps a lot per credit for
 * up to 400 days, so unpacking and packing every lot each time made a busy member's earn cost more
 * with every earn. Here a read of the bytes last seen for the member takes their lots as they are,
 * and a write that only adds lots to them packs the new ones alone. A read is matched by its
 * bytes, never by a version, so what another node or an erasure wrote is read afresh.
 */
final class RecentLots {

	/**
	 * An image with the stored value it came from or was written as. A read is matched against
	 * that value itself ({@link Binary#equals} compares the bytes inside it): taking the bytes out
	 * of a {@link Binary} copies them, tens of kilobytes for a busy account, on every read.
	 */
	private record Seen(PackedLots.Image image, Binary stored) {
	}

	private final Map<String, Seen> byMember;

	RecentLots(int most) {
		this.byMember = new LinkedHashMap<>(most * 2, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
				return size() > most;
			}
		};
	}

	List<Lot> read(String memberId, Binary packed) {
		Seen known = get(memberId);
		if (known != null && known.stored().equals(packed)) {
			return known.image().lots();
		}
		PackedLots.Image read = PackedLots.read(packed.getData());
		put(memberId, new Seen(read, packed));
		return read.lots();
	}

	/** The lots packed as the value to store. */
	Binary pack(String memberId, List<Lot> lots) {
		Seen known = get(memberId);
		PackedLots.Image packed = PackedLots.pack(lots, known == null ? null : known.image());
		Binary stored = new Binary(packed.bytes());
		put(memberId, new Seen(packed, stored));
		return stored;
	}

	/** Forgets a member's lots (an erasure: no copy of what it removed stays here). */
	void forget(String memberId) {
		synchronized (byMember) {
			byMember.remove(memberId);
		}
	}

	private Seen get(String memberId) {
		synchronized (byMember) {
			return byMember.get(memberId);
		}
	}

	private void put(String memberId, Seen seen) {
		synchronized (byMember) {
			byMember.put(memberId, seen);
		}
	}
}
