package io.fidelis.cards.adapter.out.wallet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;

/**
 * The certificates and keys the wallets need, loaded once at start-up and checked there: an
 * expired or not-yet-valid certificate, a key that does not match its certificate, a WWDR
 * certificate that did not issue the pass certificate, or pass type and team identifiers other
 * than those the certificate names stop the start with a message that says which and what to do,
 * instead of passes that every phone refuses.
 */
public final class WalletCredentials {

	private static final Logger log = LoggerFactory.getLogger(WalletCredentials.class);

	private final X509Certificate passCertificate;
	private final PrivateKey passKey;
	private final X509Certificate wwdr;
	private final RSAPrivateKey googleKey;
	private final boolean development;

	public WalletCredentials(X509Certificate passCertificate, PrivateKey passKey, X509Certificate wwdr,
			RSAPrivateKey googleKey, boolean development, Instant now) {
		this.passCertificate = passCertificate;
		this.passKey = passKey;
		this.wwdr = wwdr;
		this.googleKey = googleKey;
		this.development = development;
		valid("fidelis.cards.apple.certificate (the Pass Type ID certificate)", passCertificate, now);
		valid("fidelis.cards.apple.wwdr-certificate (Apple's WWDR intermediate)", wwdr, now);
		if (passKey instanceof RSAPrivateCrtKey crt && passCertificate.getPublicKey() instanceof RSAPublicKey pub
				&& !crt.getModulus().equals(pub.getModulus())) {
			throw new IllegalStateException(
					"fidelis.cards.apple.private-key does not belong to fidelis.cards.apple.certificate");
		}
		issuedBy(passCertificate, wwdr);
		Duration left = Duration.between(now, passCertificate.getNotAfter().toInstant());
		if (left.toDays() < 30) {
			log.warn("The Pass Type ID certificate expires in {} days ({}): renew it before passes stop updating",
					left.toDays(), passCertificate.getNotAfter().toInstant());
		}
	}

	public X509Certificate passCertificate() {
		return passCertificate;
	}

	public PrivateKey passKey() {
		return passKey;
	}

	public X509Certificate wwdr() {
		return wwdr;
	}

	public RSAPrivateKey googleKey() {
		return googleKey;
	}

	public boolean development() {
		return development;
	}

	/** From configuration, or throw-away ones in development when none are configured. */
	static WalletCredentials load(CardsProperties properties, Clock clock) {
		CardsProperties.Apple apple = properties.apple();
		Instant now = clock.instant();
		boolean configured = apple.certificate() != null;
		if (!configured && !properties.generateDevelopmentCredentials()) {
			throw new IllegalStateException("No wallet certificates: set fidelis.cards.apple.certificate, "
					+ "fidelis.cards.apple.private-key, fidelis.cards.apple.wwdr-certificate and "
					+ "fidelis.cards.google.private-key (or fidelis.cards.generate-development-credentials=true)");
		}
		X509Certificate certificate;
		PrivateKey key;
		X509Certificate wwdr;
		if (configured) {
			if (apple.certificate().getFilename() != null && apple.certificate().getFilename().endsWith(".p12")) {
				KeyStore store = pkcs12(apple.certificate(), apple.keyPassword());
				try {
					String alias = Collections.list(store.aliases()).stream().filter(a -> isKey(store, a)).findFirst()
							.orElseThrow(() -> new IllegalStateException("fidelis.cards.apple.certificate holds no key"));
					certificate = (X509Certificate) store.getCertificate(alias);
					key = (PrivateKey) store.getKey(alias, password(apple.keyPassword()));
				}
				catch (java.security.GeneralSecurityException e) {
					throw new IllegalStateException("Cannot read fidelis.cards.apple.certificate: " + e.getMessage(), e);
				}
			}
			else {
				certificate = certificate("fidelis.cards.apple.certificate", apple.certificate());
				key = privateKey("fidelis.cards.apple.private-key", apple.privateKey());
			}
			wwdr = certificate("fidelis.cards.apple.wwdr-certificate", apple.wwdrCertificate());
			identifiedAs(certificate, apple.passTypeIdentifier(), apple.teamIdentifier());
		}
		else {
			DevelopmentCredentials.Issued ca = DevelopmentCredentials.authority("Fidelis development WWDR",
					now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)));
			DevelopmentCredentials.Issued pass = DevelopmentCredentials.passCertificate(ca, apple.passTypeIdentifier(),
					apple.teamIdentifier(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
			certificate = pass.certificate();
			key = pass.key();
			wwdr = ca.certificate();
			log.warn("Cards use throw-away development certificates: passes will not install on a real phone. "
					+ "Configure fidelis.cards.apple.* and fidelis.cards.google.* for production.");
		}
		RSAPrivateKey googleKey;
		if (properties.google().privateKey() != null) {
			PrivateKey loaded = privateKey("fidelis.cards.google.private-key", properties.google().privateKey());
			if (!(loaded instanceof RSAPrivateKey rsa)) {
				throw new IllegalStateException("fidelis.cards.google.private-key must be an RSA key (a service-account key)");
			}
			googleKey = rsa;
		}
		else if (properties.generateDevelopmentCredentials()) {
			googleKey = (RSAPrivateKey) DevelopmentCredentials.rsa().getPrivate();
		}
		else {
			throw new IllegalStateException("No Google service-account key: set fidelis.cards.google.private-key");
		}
		return new WalletCredentials(certificate, key, wwdr, googleKey, !configured, now);
	}

	/**
	 * Apple checks a pass's signature up to its WWDR intermediate: the one configured must be the
	 * one that signed the pass certificate (a root CA, or another generation of WWDR, is not).
	 */
	static void issuedBy(X509Certificate pass, X509Certificate wwdr) {
		boolean named = pass.getIssuerX500Principal().equals(wwdr.getSubjectX500Principal());
		boolean signed;
		try {
			pass.verify(wwdr.getPublicKey());
			signed = true;
		}
		catch (java.security.GeneralSecurityException e) {
			signed = false;
		}
		if (!named || !signed) {
			throw new IllegalStateException("fidelis.cards.apple.wwdr-certificate (" + wwdr.getSubjectX500Principal().getName()
					+ ") did not issue fidelis.cards.apple.certificate, whose issuer is "
					+ pass.getIssuerX500Principal().getName()
					+ ": configure the WWDR intermediate named there (Apple publishes each generation), not a root CA");
		}
	}

	/**
	 * The pass type and team identifiers that passes will carry must be those of the certificate
	 * that signs them (its subject's UID and OU, as Apple issues them), or every phone refuses the
	 * passes: a left-out identifier would carry the development default.
	 */
	static void identifiedAs(X509Certificate pass, String passTypeIdentifier, String teamIdentifier) {
		org.bouncycastle.asn1.x500.X500Name subject = org.bouncycastle.asn1.x500.X500Name
				.getInstance(pass.getSubjectX500Principal().getEncoded());
		String uid = first(subject, org.bouncycastle.asn1.x500.style.BCStyle.UID);
		String team = first(subject, org.bouncycastle.asn1.x500.style.BCStyle.OU);
		if (uid != null && !uid.equals(passTypeIdentifier)) {
			throw new IllegalStateException("fidelis.cards.apple.pass-type-identifier is '" + passTypeIdentifier
					+ "' but fidelis.cards.apple.certificate is for '" + uid + "': set it to '" + uid + "'");
		}
		if (team != null && !team.equals(teamIdentifier)) {
			throw new IllegalStateException("fidelis.cards.apple.team-identifier is '" + teamIdentifier
					+ "' but fidelis.cards.apple.certificate belongs to team '" + team + "': set it to '" + team + "'");
		}
	}

	private static String first(org.bouncycastle.asn1.x500.X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
		org.bouncycastle.asn1.x500.RDN[] rdns = name.getRDNs(type);
		return rdns.length == 0 ? null
				: org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(rdns[0].getFirst().getValue());
	}

	private static void valid(String name, X509Certificate certificate, Instant now) {
		try {
			certificate.checkValidity(Date.from(now));
		}
		catch (CertificateExpiredException e) {
			throw new IllegalStateException(name + " expired on " + certificate.getNotAfter().toInstant()
					+ "; renew it and restart", e);
		}
		catch (CertificateNotYetValidException e) {
			throw new IllegalStateException(name + " is not valid before " + certificate.getNotBefore().toInstant(), e);
		}
	}

	static X509Certificate certificate(String name, Resource resource) {
		if (resource == null) {
			throw new IllegalStateException(name + " is not set");
		}
		try (InputStream in = resource.getInputStream()) {
			return (X509Certificate) CertificateFactory.getInstance("X.509")
					.generateCertificate(new ByteArrayInputStream(in.readAllBytes()));
		}
		catch (IOException | CertificateException | ClassCastException e) {
			throw new IllegalStateException("Cannot read " + name + " from " + resource + ": " + e.getMessage(), e);
		}
	}

	static PrivateKey privateKey(String name, Resource resource) {
		if (resource == null) {
			throw new IllegalStateException(name + " is not set");
		}
		try (PEMParser parser = new PEMParser(new InputStreamReader(resource.getInputStream(), StandardCharsets.US_ASCII))) {
			Object parsed = parser.readObject();
			JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
			if (parsed instanceof PEMKeyPair pair) {
				return converter.getPrivateKey(pair.getPrivateKeyInfo());
			}
			if (parsed instanceof PrivateKeyInfo info) {
				return converter.getPrivateKey(info);
			}
			throw new IllegalStateException(name + " is not an unencrypted PEM private key (PKCS#8 or PKCS#1)");
		}
		catch (IOException e) {
			throw new IllegalStateException("Cannot read " + name + " from " + resource + ": " + e.getMessage(), e);
		}
	}

	private static KeyStore pkcs12(Resource resource, String password) {
		try (InputStream in = resource.getInputStream()) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, password(password));
			return store;
		}
		catch (IOException | java.security.GeneralSecurityException e) {
			throw new IllegalStateException("Cannot read fidelis.cards.apple.certificate (.p12): " + e.getMessage(), e);
		}
	}

	private static boolean isKey(KeyStore store, String alias) {
		try {
			return store.isKeyEntry(alias);
		}
		catch (java.security.KeyStoreException e) {
			return false;
		}
	}

	private static char[] password(String password) {
		return password == null ? new char[0] : password.toCharArray();
	}
}
