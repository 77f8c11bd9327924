/**
 * Wiring: storage (MongoDB or the embedded server), security (OAuth2 resource server and the
 * development issuer), GraphQL runtime (scalars, limits, error codes). No business rules live here.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Bootstrap")
package io.fidelis.bootstrap;
