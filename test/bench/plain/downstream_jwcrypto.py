# jwcrypto, the runner's own JWT library, opening the same payloads with its keys parsed once:
# decrypt, verify, parse, one JSON line out per payload (one core: Python threads share one lock).
#   /usr/bin/python3 downstream_jwcrypto.py <decryption-private.pem> <verification-public.pem> <folder>  > lines
import json, os, sys
from jwcrypto import jwe, jwk, jws

decryption = jwk.JWK.from_pem(open(sys.argv[1], 'rb').read())
verification = jwk.JWK.from_pem(open(sys.argv[2], 'rb').read())
folder = sys.argv[3]
out = sys.stdout
for name in sorted(os.listdir(folder)):
    path = os.path.join(folder, name)
    sealed = jwe.JWE()
    sealed.deserialize(open(path).read().strip(), key=decryption)
    signed = jws.JWS()
    signed.deserialize(sealed.payload.decode())
    signed.verify(verification)
    out.write(json.dumps({"source": path, "payload": json.loads(signed.payload)}) + "\n")
