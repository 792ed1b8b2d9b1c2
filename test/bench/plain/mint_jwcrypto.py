# jwcrypto, the runner's own JWT library, minting the same tokens with its keys parsed once: the
# console's other yardstick (one core: Python threads share one interpreter lock).
#   /usr/bin/python3 mint_jwcrypto.py <signing-private.pem> <encryption-public.pem> <claims.json> <count>  > tokens
import hashlib, json, sys, uuid
from jwcrypto import jwe, jwk, jwt

signer = jwk.JWK.from_pem(open(sys.argv[1], 'rb').read())
recipient = jwk.JWK.from_pem(open(sys.argv[2], 'rb').read())
kid = lambda k: hashlib.sha1(k.export_to_pem(private_key=False, password=None)).hexdigest()
signer_kid, recipient_kid = kid(signer), kid(recipient)
template = json.load(open(sys.argv[3]))
out = sys.stdout
for _ in range(int(sys.argv[4])):
    claims = dict(template, jti=str(uuid.uuid4()), tx_id=str(uuid.uuid4()))
    token = jwt.JWT(header={"alg": "RS256", "kid": signer_kid, "typ": "JWT"}, claims=claims)
    token.make_signed_token(signer)
    sealed = jwe.JWE(plaintext=token.serialize(), protected={"alg": "RSA-OAEP", "enc": "A256GCM", "kid": recipient_kid})
    sealed.add_recipient(recipient)
    out.write(sealed.serialize(compact=True) + "\n")
