package io.fidelis.bootstrap.security;

import java.util.Collection;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

import io.fidelis.members.Caller;

/** An authenticated request: the validated token and the {@link Caller} it stands for. */
final class CallerAuthentication extends AbstractAuthenticationToken {

	private final Caller caller;
	private final Jwt token;

	CallerAuthentication(Caller caller, Jwt token, Collection<? extends GrantedAuthority> authorities) {
		super(authorities);
		this.caller = caller;
		this.token = token;
		setAuthenticated(true);
	}

	@Override
	public Caller getPrincipal() {
		return caller;
	}

	@Override
	public Jwt getCredentials() {
		return token;
	}

	@Override
	public String getName() {
		return caller.key();
	}
}
