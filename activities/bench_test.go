package activities_test

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"go.temporal.io/sdk/testsuite"

	"yizhi/activities"
	"yizhi/assist"
	"yizhi/lang"
	"yizhi/models"
	"yizhi/store/storetest"
)

// judgmentSentences are the kinds of sentence a long civil judgment is
// made of; the benchmark varies their numbers and names.
var judgmentSentences = []string{
	"原告%s与被告%s建设工程施工合同纠纷一案，本院于2024年%d月%d日立案后，依法适用普通程序，公开开庭进行了审理。",
	"原告向本院提出诉讼请求：判令被告支付工程款人民币%d元及逾期付款利息。",
	"被告辩称，双方于2021年%d月%d日签订的合同第%d条约定的付款条件尚未成就。",
	"本院认为，当事人对自己提出的诉讼请求所依据的事实，应当提供证据加以证明，证据编号第%d号至第%d号。",
	"依照《中华人民共和国民法典》第%d条、《中华人民共和国民事诉讼法》第%d条之规定，判决如下：",
	"案件受理费人民币%d元，由被告%s负担。",
	"如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，上诉于新疆维吾尔自治区高级人民法院。",
}

var parties = []string{"阿不都热合曼·买买提", "新疆某建筑有限公司", "乌鲁木齐某商贸有限公司", "古丽米拉·吐尔逊", "某物业服务有限公司"}

func judgmentSentence(i int) string {
	p1, p2 := parties[i%len(parties)], parties[(i+2)%len(parties)]
	switch k := i % len(judgmentSentences); k {
	case 0:
		return fmt.Sprintf(judgmentSentences[k], p1, p2, i%12+1, i%28+1)
	case 1:
		return fmt.Sprintf(judgmentSentences[k], 10000+i*37)
	case 2:
		return fmt.Sprintf(judgmentSentences[k], i%12+1, i%28+1, i%40+1)
	case 3:
		return fmt.Sprintf(judgmentSentences[k], i%50+1, i%50+9)
	case 4:
		return fmt.Sprintf(judgmentSentences[k], 500+i%700, 100+i%200)
	case 5:
		return fmt.Sprintf(judgmentSentences[k], 50+i%5000, p2)
	}
	return judgmentSentences[len(judgmentSentences)-1]
}

// BenchmarkMachineAssistJudgment measures machine assist without MT on a
// 200-page judgment (about 400,000 characters) against a memory of
// 100,000 approved pairs: segmentation is done at intake, so this is the
// TM lookups, the termbase and the database writes.
func BenchmarkMachineAssistJudgment(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			s := storetest.Open(b, dialect)
			acts := &activities.Activities{Store: s, Log: slog.New(slog.DiscardHandler), Memory: assist.NewMemory(assist.MemoryOptions{})}
			var tm []models.TMEntry
			for i := range 100_000 {
				src := judgmentSentence(i * 7)
				tm = append(tm, models.TMEntry{ID: int64(i + 1), SourceLang: models.SourceLang, TargetLang: "ug",
					SourceHash: models.SegmentHash(src), SourceText: src, TargetText: fmt.Sprintf("سوت %d-نومۇرلۇق جۈملە.", i)})
			}
			acts.Memory.Add(tm...)

			var body strings.Builder
			for i := 0; body.Len() < 400_000*3; i++ { // about 400,000 characters, 3 bytes each
				body.WriteString(judgmentSentence(i))
				if i%8 == 7 {
					body.WriteString("\n")
				}
			}
			sentences := append([]string{"新疆维吾尔自治区乌鲁木齐市中级人民法院民事判决书"}, lang.SegmentStrings(models.SourceLang, body.String())...)
			var ts testsuite.WorkflowTestSuite
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				b.StopTimer()
				jobs := notice(b, s, fmt.Sprintf("judgment-%d", n), sentences, "ug")
				env := ts.NewTestActivityEnvironment()
				env.RegisterActivity(acts)
				b.StartTimer()
				if _, err := env.ExecuteActivity(models.ActivityMachineAssist, models.AssistInput{JobID: jobs[0].ID}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(sentences)), "segments")
		})
	}
}
