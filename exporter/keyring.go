package exporter

import (
	"strings"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

// keyringKeys reads the source's long-term keys from its keyring item
// and checks them as readSource checks a profile's.
func keyringKeys(req Request, d Deps) (awscred.Keys, error) {
	if d.Keyring == nil {
		return awscred.Keys{}, inputerr.Errorf("[%s]'s keys are in keyring item %s, but this command cannot read keyrings", req.Source, req.Keyring)
	}
	k, err := d.Keyring(req.Keyring)
	if err != nil {
		return awscred.Keys{}, err
	}
	if strings.HasPrefix(k.AccessKeyID, "ASIA") {
		return awscred.Keys{}, inputerr.Errorf("keyring item %s holds session credentials (%s); store the IAM user's long-term keys (AKIA…) there with aws-mfa setup --keyring", req.Keyring, MaskKey(k.AccessKeyID))
	}
	return k, nil
}
