package io.fidelis.points.adapter.out.mongo;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

	private final Map<String, PackedLots.Image> byMember;

	RecentLots(int most) {
		this.byMember = new LinkedHashMap<>(most * 2, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, PackedLots.Image> eldest) {
				return size() > most;
			}
		};
	}

	List<Lot> read(String memberId, byte[] packed) {
		PackedLots.Image known = get(memberId);
		if (known != null && Arrays.equals(known.bytes(), packed)) {
			return known.lots();
		}
		PackedLots.Image read = PackedLots.read(packed);
		put(memberId, read);
		return read.lots();
	}

	byte[] pack(String memberId, List<Lot> lots) {
		PackedLots.Image packed = PackedLots.pack(lots, get(memberId));
		put(memberId, packed);
		return packed.bytes();
	}

	/** Forgets a member's lots (an erasure: no copy of what it removed stays here). */
	void forget(String memberId) {
		synchronized (byMember) {
			byMember.remove(memberId);
		}
	}

	private PackedLots.Image get(String memberId) {
		synchronized (byMember) {
			return byMember.get(memberId);
		}
	}

	private void put(String memberId, PackedLots.Image image) {
		synchronized (byMember) {
			byMember.put(memberId, image);
		}
	}
}
