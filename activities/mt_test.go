package activities_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"yizhi/activities"
	"yizhi/assist"
	"yizhi/assist/mt"
	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

// libreTranslate answers like a LibreTranslate server, turning each Chinese
// sentence into a Korean one, and counts its calls.
func libreTranslate(t *testing.T, calls *atomic.Int32) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var req struct {
			Q      json.RawMessage `json:"q"` // a string, or an array for a batch
			Source string          `json:"source"`
			Target string          `json:"target"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Target != "ko" {
			http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
			return
		}
		var batch []string
		if json.Unmarshal(req.Q, &batch) != nil {
			var one string
			_ = json.Unmarshal(req.Q, &one)
			_ = json.NewEncoder(w).Encode(map[string]any{"translatedText": korean(one)})
			return
		}
		out := make([]string, len(batch))
		for i, q := range batch {
			out[i] = korean(q)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"translatedText": out})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestMachineAssistAsksTheEnginesInBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		var calls atomic.Int32
		srv := libreTranslate(t, &calls)
		cfg := &mt.Config{Engines: []mt.EngineConfig{{Name: "libre", Kind: "libretranslate", Endpoint: srv.URL, Batch: 20}}}
		engines, err := mt.NewEngines(cfg, srv.Client())
		require.NoError(t, err)
		acts := &activities.Activities{
			Store: s, Log: slog.New(slog.DiscardHandler), Memory: assist.NewMemory(assist.MemoryOptions{}),
			MT: mt.NewRouter(cfg, engines, slog.New(slog.DiscardHandler)),
		}
		var ts testsuite.WorkflowTestSuite
		env := ts.NewTestActivityEnvironment()
		env.RegisterActivity(acts)

		// A long judgment: a title and 120 sentences.
		sentences := []string{"延边朝鲜族自治州中级人民法院民事判决书"}
		for i := range 120 {
			sentences = append(sentences, fmt.Sprintf("(2024)吉24民初%d号案件定于2024年3月15日公开开庭审理。", i+1))
		}
		jobs := notice(t, s, "yanbian", sentences, "ko", "ii")
		v, err := env.ExecuteActivity(models.ActivityMachineAssist, models.AssistInput{JobID: jobs[0].ID})
		require.NoError(t, err)
		var res models.AssistResult
		require.NoError(t, v.Get(&res))
		require.Equal(t, 121, res.Segments)
		require.Equal(t, 121, res.MT)
		// 121 segments in batches of 50 for assist and 20 per request:
		// 3 + 3 + 2 calls, never one per segment.
		require.EqualValues(t, 8, calls.Load())

		drafts, err := s.Drafts(t.Context(), jobs[0].ID)
		require.NoError(t, err)
		require.Len(t, drafts, 121)
		require.Equal(t, "mt:libre", drafts[5].Origin)
		require.Equal(t, "(2024)吉24民初5号 사건은 2024년 3월 15일 공개 심리한다.", drafts[5].Text)

		// No engine covers Yi: TM and glossary only, and no error.
		v, err = env.ExecuteActivity(models.ActivityMachineAssist, models.AssistInput{JobID: jobs[1].ID})
		require.NoError(t, err)
		require.NoError(t, v.Get(&res))
		require.Zero(t, res.MT)
	})
}

// korean stands in for a translation: the case number survives, as QA wants.
func korean(zh string) string {
	caseNo, _, found := strings.Cut(zh, "案件")
	if !found {
		return "연변조선족자치주 중급인민법원 민사판결서"
	}
	return caseNo + " 사건은 2024년 3월 15일 공개 심리한다."
}
