package io.fidelis.members;

/** Who may enroll people into a program: the people themselves (app, web), integrations (tills, shops, CRM), staff. */
public record EnrollmentPolicy(boolean selfService, boolean integration, boolean staff) {

	public static EnrollmentPolicy open() {
		return new EnrollmentPolicy(true, true, true);
	}

	public boolean allows(EnrollmentChannel channel) {
		return switch (channel) {
			case SELF_SERVICE -> selfService;
			case INTEGRATION -> integration;
			case STAFF -> staff;
		};
	}
}
