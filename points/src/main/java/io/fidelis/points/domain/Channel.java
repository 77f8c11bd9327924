package io.fidelis.points.domain;

/** Where points were earned or spent. */
public enum Channel {
	ONLINE, IN_STORE, APP, PARTNER
}
