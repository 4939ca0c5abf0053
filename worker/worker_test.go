package worker

import (
	"reflect"
	"testing"

	"yizhi/activities"
	"yizhi/models"
)

// Workflows call activities by name to keep their imports to models; this
// catches a renamed method before a workflow fails at run time.
func TestActivityNamesAreMethods(t *testing.T) {
	typ := reflect.TypeOf(&activities.Activities{})
	for _, name := range []string{
		models.ActivityApplyProjection,
		models.ActivityMachineAssist,
		models.ActivityOpenTask,
		models.ActivityRecordReview,
		models.ActivityPublishVersion,
		models.ActivityWebhookTargets,
		models.ActivityDeliverWebhook,
	} {
		if _, ok := typ.MethodByName(name); !ok {
			t.Errorf("activity %q is not a method of *activities.Activities", name)
		}
	}
}
