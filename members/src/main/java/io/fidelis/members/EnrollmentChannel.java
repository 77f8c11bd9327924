package io.fidelis.members;

/** How a member came in: by themselves in an app or web shop, through an integration, or by staff. */
public enum EnrollmentChannel {
	SELF_SERVICE, INTEGRATION, STAFF
}
