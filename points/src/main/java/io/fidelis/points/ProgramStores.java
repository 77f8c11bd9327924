package io.fidelis.points;

import java.util.List;

import io.fidelis.members.ProgramId;

/** Where a program's stores stand, for whatever shows the program near them (wallet cards). */
public interface ProgramStores {

	/** The program's stores that staff placed, in store-id order. */
	List<StorePlace> placesOf(ProgramId program);

	record StorePlace(String storeId, String name, double latitude, double longitude) {
	}
}
